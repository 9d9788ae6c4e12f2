"""The sections of a wasm file: id, custom name, size.  python3 sections.py FILE.wasm
Also prints each large section's gzip size alone (zlib level 9)."""
import sys,struct
def leb(b,i):
    r=0;s=0
    while True:
        x=b[i];i+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80: return r,i
def sections(path):
    b=open(path,'rb').read();i=8;out=[]
    while i<len(b):
        sid=b[i];i+=1;n,i=leb(b,i);name=''
        if sid==0:
            l,j=leb(b,i);name=b[j:j+l].decode()
        out.append((sid,name,i,n));i+=n
    return b,out
if __name__=='__main__':
    b,s=sections(sys.argv[1])
    import zlib
    for sid,name,off,n in s:
        print(sid, name or '-', n, 'gzip-alone', len(zlib.compress(b[off:off+n],9)) if n>4096 else '')
