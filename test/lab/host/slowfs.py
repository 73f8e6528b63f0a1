#!/usr/bin/python3
"""A passthrough FUSE filesystem whose fsync and fdatasync take as long as an SD card's.

usage: slowfs.py BACKING_DIR MOUNTPOINT DELAY_MS
Every other operation goes straight to BACKING_DIR, so data written through the mount is
on disk in the lab's host directory and survives crashes like a real disk.
"""
import errno
import os
import sys
import time

from fusepy import FUSE, FuseOSError, Operations, fuse_get_context


class SlowSyncPassthrough(Operations):
    def __init__(self, root, delay_seconds):
        self.root = root
        self.delay = delay_seconds

    def _path(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def _own(self, path):
        uid, gid, _ = fuse_get_context()
        os.lchown(path, uid, gid)

    def __call__(self, op, path, *args):
        try:
            return super().__call__(op, path, *args)
        except OSError as error:
            raise FuseOSError(error.errno or errno.EIO)

    def access(self, path, mode):
        if not os.access(self._path(path), mode):
            raise FuseOSError(errno.EACCES)

    def getattr(self, path, fh=None):
        st = os.lstat(self._path(path))
        keys = ('st_atime', 'st_ctime', 'st_gid', 'st_mode', 'st_mtime', 'st_nlink', 'st_size', 'st_uid')
        return {key: getattr(st, key) for key in keys}

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(self._path(path))

    def readlink(self, path):
        return os.readlink(self._path(path))

    def statfs(self, path):
        st = os.statvfs(self._path(path))
        keys = ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')
        return {key: getattr(st, key) for key in keys}

    def chmod(self, path, mode):
        os.chmod(self._path(path), mode)

    def chown(self, path, uid, gid):
        os.lchown(self._path(path), uid, gid)

    def mknod(self, path, mode, dev):
        os.mknod(self._path(path), mode, dev)
        self._own(self._path(path))

    def mkdir(self, path, mode):
        os.mkdir(self._path(path), mode)
        self._own(self._path(path))

    def rmdir(self, path):
        os.rmdir(self._path(path))

    def unlink(self, path):
        os.unlink(self._path(path))

    def symlink(self, name, target):
        os.symlink(target, self._path(name))
        self._own(self._path(name))

    def link(self, target, name):
        os.link(self._path(name), self._path(target))

    def rename(self, old, new):
        os.rename(self._path(old), self._path(new))

    def utimens(self, path, times=None):
        os.utime(self._path(path), times)

    def truncate(self, path, length, fh=None):
        with open(self._path(path), 'r+b') as handle:
            handle.truncate(length)

    def open(self, path, flags):
        return os.open(self._path(path), flags)

    def create(self, path, mode, fi=None):
        fd = os.open(self._path(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        self._own(self._path(path))
        return fd

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        return os.pwrite(fh, data, offset)

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        os.close(fh)

    def fsync(self, path, datasync, fh):
        time.sleep(self.delay)
        if datasync:
            os.fdatasync(fh)
        else:
            os.fsync(fh)

    def fsyncdir(self, path, datasync, fh):
        time.sleep(self.delay)
        return 0


def main():
    backing, mountpoint, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    FUSE(SlowSyncPassthrough(os.path.realpath(backing), delay_ms / 1000.0), mountpoint,
         foreground=True, allow_other=True, default_permissions=True, nonempty=True, nothreads=False)


if __name__ == '__main__':
    main()
