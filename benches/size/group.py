"""Code by crate/module: raw bytes and marginal gzip (gzip(code) - gzip(code without the group)).
python3 group.py FUNCS.json NAMED.wasm   (FUNCS.json from funcs.py)"""
import json,gzip,re,sys,collections
f=json.load(open(sys.argv[1]))  # idx,name,size,off,len
b=open(sys.argv[2],'rb').read()
def cat(n):
    m=re.search(r'mailsim::([a-z_0-9]+)(?:::([a-z_0-9]+))?',n)
    if 'CompStateInner<COMP>' in n or 'yew::functional' in n and 'mailsim' not in n:
        if re.search(r'::(view|flush_messages|changed|rendered|update|create)::',n) and 'yew::functional' not in n: return 'ui: component view/update (generic, inlined)'
    if m and not n.startswith('<core') and not n.startswith('core::') or (m and 'mailsim::' in n.split(' as ')[0]):
        a,bb=m.group(1),m.group(2)
        if a=='smtp' and bb=='catalogue': return 'mailsim::smtp::catalogue'
        if a in('ui','world','smtp','transcript','explain','shell','lessons','imap'): return 'mailsim::'+a
        return 'mailsim::'+a
    for k in ['serde_json','serde','miniz_oxide','yew','wasm_bindgen','web_sys','js_sys','gloo','dlmalloc','nom','base64','md5','hmac','tracing','hashbrown','slab','indexmap','implicit_clone','prokio','futures','itoa','ryu','memchr','thiserror','digest','tokise','pinned','bincode']:
        if re.search(r'(^|[<\s&(])'+k+r'(\[|::)',n): return k
    if re.search(r'core(\[[0-9a-f]+\])?::fmt|<f64 as core|<f32 as core|fmt::|Display>::fmt|Debug>::fmt',n): return 'core::fmt (formatting, floats)'
    if re.search(r'panic|unwrap_failed|expect_failed|assert_failed',n): return 'panics'
    if re.search(r'core::str|<str>|core::unicode|char>::|to_lowercase|to_uppercase',n): return 'core str/unicode'
    if re.search(r'alloc(\[[0-9a-f]+\])?::|<alloc|RawVec|Vec<|String',n): return 'alloc (Vec/String/BTree, generic)'
    if re.search(r'core::iter|Iterator>|core::slice|sort',n): return 'core iter/slice (generic, monomorphised)'
    if re.search(r'core(\[[0-9a-f]+\])?::',n): return 'core other'
    return 'other/unnamed'
g=collections.defaultdict(list)
for x in f: g[cat(x[1])].append(x)
code=b''.join(b[x[3]:x[3]+x[4]] for x in f)
full=len(gzip.compress(code,9))
print('code bytes',len(code),'gz',full)
rows=[]
for k,v in g.items():
    ids=set(x[0] for x in v)
    rest=b''.join(b[x[3]:x[3]+x[4]] for x in f if x[0] not in ids)
    rows.append((sum(x[2] for x in v),full-len(gzip.compress(rest,9)),len(v),k))
rows.sort(reverse=True)
for r in rows: print('%8d %7d %5d  %s'%r)
