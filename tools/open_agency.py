#!/usr/bin/env python3
"""An agency (MCN) console acting as an open-platform app, written from issue 14's text only (own signing code).

It lists the creators that granted the app with their showcase health, can add a product to each creator's
showcase, and reads their commission:

    python tools/open_agency.py --base http://127.0.0.1:8000 --key=AK --secret=SECRET \
        --token=T1 --token=T2 [--add-product 12]

(Write ``--option=value``: a key, secret or token may start with "-".)

Standard library only.
"""
import argparse
import datetime
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

GMT8 = datetime.timezone(datetime.timedelta(hours=8))


class Client:
    def __init__(self, base: str, key: str, secret: str):
        self.base, self.key, self.secret = base.rstrip("/"), key, secret

    def call(self, method: str, token: str, **params):
        pj = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        ts = datetime.datetime.now(GMT8).strftime("%Y-%m-%d %H:%M:%S")
        s = (self.secret + "app_key" + self.key + "method" + method + "param_json" + pj + "timestamp" + ts
             + "v" + "2" + self.secret)
        sign = hmac.new(self.secret.encode(), s.encode(), hashlib.sha256).hexdigest()
        form = {"app_key": self.key, "method": method, "param_json": pj, "timestamp": ts, "v": "2",
                "sign_method": "hmac-sha256", "access_token": token, "sign": sign}
        req = urllib.request.Request(self.base + "/open/router", data=urllib.parse.urlencode(form).encode())
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                body = json.loads(r.read())
        except urllib.error.HTTPError as e:
            body = json.loads(e.read() or b"{}")
            if body.get("code") == 20009:  # quota: wait as told, then once more
                time.sleep(int(e.headers.get("Retry-After", "1")))
                return self.call(method, token, **params)
        time.sleep(1.05)  # the signature is the nonce: two identical calls in one second would be a replay
        return body


def health(items: dict, summary: dict) -> str:
    n = items.get("total", 0)
    if n == 0:
        return "empty showcase"
    return f"{n} products, {summary.get('lines', 0)} commission lines"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="http://127.0.0.1:8000")
    p.add_argument("--key", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--token", action="append", default=[], help="one creator's access token (repeat)")
    p.add_argument("--add-product", type=int, help="a pool product id to add to every creator's showcase")
    a = p.parse_args(argv)
    client = Client(a.base, a.key, a.secret)
    failed = False
    for i, token in enumerate(a.token, 1):
        items = client.call("showcase.items.list", token, page=1, size=100)
        if items.get("code") != 10000:
            print(f"creator #{i}: {items.get('code')} {items.get('msg')}")
            failed = True
            continue
        if a.add_product:
            added = client.call("showcase.item.add", token, product_id=a.add_product)
            print(f"creator #{i}: add product {a.add_product}: {added.get('code')} {added.get('msg')}")
        summary = client.call("commission.summary", token)
        data = summary.get("data") or {}
        print(f"creator #{i}: {health(items['data'], data)}; estimated {data.get('estimated_fen', 0) / 100:.2f} yuan, "
              f"settled {data.get('settled_fen', 0) / 100:.2f} yuan")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
