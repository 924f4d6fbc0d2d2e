import sys, polib, json
# usage: tr.py PO JSON  (JSON maps msgid -> zh)
po = polib.pofile(sys.argv[1]); m = json.load(open(sys.argv[2]))
for e in po:
    if e.msgid in m: e.msgstr = m[e.msgid]; e.flags = [f for f in e.flags if f != 'fuzzy']
po.save()
print([e.msgid for e in po if not e.translated()])
