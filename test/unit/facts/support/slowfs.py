"""A passthrough FUSE filesystem whose fsync/fdatasync sleeps a fixed time: a stand-in for a slow
SD card, so the disk probe can be tested against a known latency.

Usage: /usr/bin/python3 slowfs.py <backing-dir> <mountpoint> <delay-ms>
Runs in the foreground until unmounted (fusermount3 -u <mountpoint>).
"""
import errno
import os
import sys
import time

from fusepy import FUSE, FuseOSError, Operations


class SlowSync(Operations):
    def __init__(self, root, delay_seconds):
        self.root = root
        self.delay_seconds = delay_seconds

    def _full(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def getattr(self, path, fh=None):
        try:
            st = os.lstat(self._full(path))
        except OSError as e:
            raise FuseOSError(e.errno)
        keys = ('st_mode', 'st_nlink', 'st_uid', 'st_gid', 'st_size',
                'st_atime', 'st_mtime', 'st_ctime')
        return {k: getattr(st, k) for k in keys}

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(self._full(path))

    def mkdir(self, path, mode):
        os.mkdir(self._full(path), mode)

    def rmdir(self, path):
        os.rmdir(self._full(path))

    def unlink(self, path):
        os.unlink(self._full(path))

    def rename(self, old, new):
        os.rename(self._full(old), self._full(new))

    def chmod(self, path, mode):
        os.chmod(self._full(path), mode)

    def chown(self, path, uid, gid):
        os.chown(self._full(path), uid, gid)

    def utimens(self, path, times=None):
        os.utime(self._full(path), times)

    def truncate(self, path, length, fh=None):
        with open(self._full(path), 'r+b') as f:
            f.truncate(length)

    def statfs(self, path):
        st = os.statvfs(self._full(path))
        keys = ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail',
                'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')
        return {k: getattr(st, k) for k in keys}

    def create(self, path, mode, fi=None):
        return os.open(self._full(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)

    def open(self, path, flags):
        return os.open(self._full(path), flags)

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        return os.pwrite(fh, data, offset)

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        os.close(fh)

    def fsync(self, path, datasync, fh):
        # The whole point: every fsync/fdatasync costs a known, fixed time.
        time.sleep(self.delay_seconds)
        os.fdatasync(fh)
        return 0

    def fallocate(self, path, mode, offset, length, fh):
        raise FuseOSError(errno.EOPNOTSUPP)


if __name__ == '__main__':
    backing, mountpoint, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    FUSE(SlowSync(backing, delay_ms / 1000.0), mountpoint, foreground=True, nothreads=True)
