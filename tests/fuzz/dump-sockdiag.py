#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes the raw replies of a sock_diag dump (SOCK_DIAG_BY_FAMILY, every state) to
# OUTDIR/PREFIX-N, one file per recv() buffer, each preceded by one byte that tells
# fuzz_sockdiag the protocol asked for (0 TCP, 1 UDP):  dump-sockdiag.py OUTDIR PREFIX
import os, socket, struct, sys

NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY = 4, 20
NLM_F_REQUEST, NLM_F_DUMP = 1, 0x300
outdir, prefix = sys.argv[1], sys.argv[2]
n = 0
for proto, tag in ((socket.IPPROTO_TCP, 0), (socket.IPPROTO_UDP, 1)):
    for family in (socket.AF_INET, socket.AF_INET6):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
        # struct inet_diag_req_v2: family, protocol, ext, pad, states, inet_diag_sockid (48 bytes)
        req = struct.pack("=BBBBI", family, proto, 0, 0, 0x3ffe) + bytes(48)
        hdr = struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
        s.send(hdr + req)
        done = False
        while not done:
            buf = s.recv(65536)
            off = 0
            while off + 16 <= len(buf):
                length, typ = struct.unpack_from("=IH", buf, off)
                if typ in (2, 3) or length < 16:  # NLMSG_ERROR, NLMSG_DONE
                    done = True
                    break
                off += (length + 3) & ~3
            with open(os.path.join(outdir, "%s-%d" % (prefix, n)), "wb") as f:
                f.write(bytes([tag]) + buf)
            n += 1
        s.close()
