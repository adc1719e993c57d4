#!/usr/bin/env bash
# Runs the published Open311 GeoReport v2 clients by hand against a running portal:
#   georeport 0.3.1 (PyPI)  reads in JSON and XML; it cannot post
#   open311 0.0.12 (npm)    codeforamerica/node-open311: discovery, reads and a post, in JSON
#   three 0.8.0 (PyPI)      codeforamerica/three, Python 2 code run on Python 3 with one shim
#   open311 1.1 (PyPI)      codeforamerica/open311_python, Python 2 only: run when python2.7 is
#                           found (pyenv), in XML, its default
# Start the portal first, with its own database, e.g.
#   export DJANGO_DEBUG=true DATABASE_URL=sqlite:////tmp/open311-client.sqlite3
#   .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
#   .venv/bin/python manage.py runserver 127.0.0.1:8311
# then: bash bench/open311_clients.sh. It posts a few cases with the demo key.
# The automated proof is tests/governance/test_open311_client.py.
set -euo pipefail

BASE=${OPEN311_BASE:-http://127.0.0.1:8311/open311/v2/}
KEY=${OPEN311_KEY:-demo-open311-key-2026}
WORK=${WORK:-/tmp/open311-clients}
HERE=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"
export BASE KEY

echo "### georeport 0.3.1 (PyPI), from the test extra"
"$HERE/.venv/bin/python" - <<'EOF'
import os
from georeport import GeoReport

for fmt in ("json", "xml"):
    client = GeoReport(os.environ["BASE"], output_format=fmt)
    services = client.get_service_list()
    requests_ = client.get_service_requests(status="open")
    one = client.get_service_request(requests_[0]["service_request_id"])
    definition = client.get_service_definition(services[0]["service_code"])
    print(f"{fmt}: {len(services)} services, {len(requests_)} open requests, "
          f"{one['service_request_id']} is {one['status']}, "
          f"definition of {definition['service_code']} read")
EOF

echo "### open311 0.0.12 (npm)"
# Its dependency sparkxml is a git URL (not on the registry) and xml2json 0.2.4 builds an old
# native module: both serve only XML, so they are stubbed and the client runs in JSON.
cd "$WORK"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --silent request@2.11.4 lodash@0.6.1
npm pack --silent open311@0.0.12 >/dev/null
mkdir -p node_modules/open311 node_modules/sparkxml node_modules/xml2json
tar xzf open311-0.0.12.tgz -C node_modules/open311 --strip-components=1
for stub in sparkxml xml2json; do
  echo "module.exports = {parseXml() { throw new Error('XML needs $stub') }, toJson() {}};" \
    > "node_modules/$stub/index.js"
done
node - <<'EOF'
const Open311 = require('open311');
const call = (name, fn) => new Promise((done) => fn((err, data) => {
  console.log(name, err ? `ERROR ${err} ${data}` : JSON.stringify(data).slice(0, 160));
  done(err ? null : data);
}));
(async () => {
  const client = new Open311({discovery: process.env.BASE + 'discovery.json'});
  await call('serviceDiscovery', (cb) => client.serviceDiscovery({cache: true}, cb));
  const services = await call('serviceList', (cb) => client.serviceList(cb));
  await call('serviceDefinition', (cb) => client.serviceDefinition(services[0].service_code, cb));
  const open = await call('serviceRequests', (cb) => client.serviceRequests({status: 'open'}, cb));
  await call('serviceRequest', (cb) => client.serviceRequest(open[0].service_request_id, cb));
  client.apiKey = process.env.KEY;
  const posted = await call('submitRequest', (cb) => client.submitRequest({
    service_code: 'parking', attributes: {area: 'laosan'}, description: '门口车辆乱停（node open311）',
  }, cb));
  await call('serviceRequest(posted)', (cb) => client.serviceRequest(posted[0].service_request_id, cb));
  client.apiKey = 'not-the-key';
  await call('submitRequest(wrong key)', (cb) => client.submitRequest({service_code: 'parking'}, cb));
})();
EOF

echo "### three 0.8.0 (PyPI)"
[ -x "$WORK/three-venv/bin/python" ] || python3 -m venv "$WORK/three-venv"
"$WORK/three-venv/bin/pip" install --quiet requests simplejson relaxml
"$WORK/three-venv/bin/pip" install --quiet --no-deps three==0.8.0
"$WORK/three-venv/bin/python" - <<'EOF'
import itertools
import os

itertools.ifilter = filter  # the one Python 2 name its JSON path needs
from three import Three

client = Three(os.environ["BASE"], api_key=os.environ["KEY"])
print("discovery", client.discovery()["endpoints"][0]["url"])
print("services", len(client.services()))
print("requests(parking, count=1)", len(client.requests("parking", count=1)))
posted = client.post("parking", address="东园一村 5号门口", name="Zhang San", description="乱停（three）")
print("post", client.post_response.status_code, posted)
print("request", client.request(posted[0]["service_request_id"])[0]["status"])
photo = ("photo.png", b"\x89PNG\r\n\x1a\n", "image/png")  # a media file makes it multipart
posted = client.post("repairs", address="乳山五村", description="路灯不亮（three）", media=photo)
print("multipart post", client.post_response.status_code, posted)
EOF

PY2=""
for candidate in python2.7 ~/.pyenv/versions/2.7*/bin/python; do
  if "$candidate" -c pass >/dev/null 2>&1; then PY2=$candidate; break; fi
done
if [ -n "$PY2" ]; then
  echo "### open311 1.1 (PyPI), on $("$PY2" --version 2>&1)"
  pip download --quiet --no-deps open311==1.1 -d "$WORK" && tar xzf "$WORK/open311-1.1.tar.gz" -C "$WORK"
  "$PY2" - "$WORK/open311-1.1" <<'EOF'
# -*- coding: utf-8 -*-
import os
import sys
sys.path[:0] = [sys.argv[1] + "/open311", sys.argv[1]]  # it imports its modules as top-level names
from open311 import Open311

client = Open311(endpoint=os.environ["BASE"].rstrip("/"), api_key=os.environ["KEY"])  # XML
for name, call in [
    ("service_list", client.service_list),
    ("service_requests", client.service_requests),
    ("service_definition (asks service/<code>, not services/)", lambda: client.service_definition("parking")),
    ("post_service_request (the key in the URL)", lambda: client.post_service_request(
        service_code="parking", address_string="东园一村")),
]:
    try:
        data = call()
        print("%s: %d items" % (name, len(data)))
    except Exception as error:
        print("%s: %s" % (name, error))
EOF
fi
