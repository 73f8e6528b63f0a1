#!/usr/bin/python3
"""The lab's registration address: a TCP forwarder (as a load balancer in front of the servers
would be) listening on ADDRESS:6443 and passing each connection to the first lab host, in
round-robin order, that accepts on 6443. TLS passes through untouched: the certificate clients
see is the server's own, so the address must be in the servers' tls-san.

usage: forwarder.py ADDRESS BACKEND [BACKEND...]
"""
import socket
import sys
import threading

PORT = 6443


def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for sock, how in ((sink, socket.SHUT_WR), (source, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def connect_backend(backends, start):
    for offset in range(len(backends)):
        address = backends[(start + offset) % len(backends)]
        try:
            return socket.create_connection((address, PORT), timeout=1)
        except OSError:
            continue
    return None


def serve(client, backends, start):
    upstream = connect_backend(backends, start)
    if upstream is None:
        client.close()  # no live server: the connection is accepted and dropped, as haproxy does
        return
    upstream.settimeout(None)
    threads = [threading.Thread(target=pipe, args=pair, daemon=True) for pair in ((client, upstream), (upstream, client))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    upstream.close()


def main(argv):
    address, backends = argv[1], argv[2:]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, PORT))
    listener.listen(128)
    print('forwarding %s:%d to %s' % (address, PORT, ', '.join(backends)), flush=True)
    turn = 0
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, backends, turn), daemon=True).start()
        turn += 1


if __name__ == '__main__':
    main(sys.argv)
