"""Copies a wasm file without its "name" section.  python3 strip.py IN.wasm OUT.wasm"""
import os
import sys
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from sections import sections
b,s=sections(sys.argv[1]); out=bytearray(b[:8])
for sid,name,off,n in s:
    if sid==0 and name=='name': continue
    # rebuild header: find start of this section's header: id byte + leb
    hdr=bytearray([sid]); x=n
    while True:
        c=x&0x7f; x>>=7
        hdr.append(c|0x80 if x else c)
        if not x: break
    out+=hdr+b[off:off+n]
open(sys.argv[2],'wb').write(out)
