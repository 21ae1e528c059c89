"""Serve a Flask project the way production does and look at it like a person.

gunicorn runs the app (one worker, no debug), nginx terminates TLS in front of
it (a throwaway self-signed certificate, X-Forwarded-For/-Proto set as a real
proxy sets them) and headless Chromium opens every page listed in the
project's pages.json. Printed as JSON on stdout:

  pages   per page: enforced and report-only CSP violations (from a
          `securitypolicyviolation` listener installed before any page script
          runs), the CSP headers received, and each `expect` check's result;
  limits  rate-limit behaviour seen from distinct loopback client addresses:
          a minute of one GET a second, a burst of wrong-password logins, a
          correct login from another address, a forged X-Forwarded-For, and
          guesses against one account spread over many addresses;
  serve   starts everything, prints {"url": ...} and waits for stdin to close
          (used to run `flask-harden scan` against the proxy).

Usage: harness.py MODE PROJECT_DIR PAGES_JSON [--minute SECONDS]

Every process started is stopped by its PID; servers listen on 127.0.0.1 only.
"""

import datetime
import http.client
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# Installed before any page script: records every CSP violation with its
# disposition ("enforce" or "report").
LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push({
    disposition: e.disposition,
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    source: e.sourceFile,
    line: e.lineNumber,
    sample: e.sample
  });
}, true);
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(folder):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(folder, "cert.pem")
    key_path = os.path.join(folder, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return cert_path, key_path


def wait_for_port(port, process, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout}s")


class Stack:
    """gunicorn behind nginx (TLS), for one project."""

    def __init__(self, project, spec):
        self.project = os.path.abspath(project)
        self.spec = spec
        self.tmp = tempfile.mkdtemp(prefix="fh-stack-")
        self.processes = []

    def __enter__(self):
        env = dict(os.environ)
        for name in ("FLASK_DEBUG", "FLASK_ENV", "TESTING"):
            env.pop(name, None)
        # The variables the fix summary lists: random values, never printed.
        for name in self.spec.get("env", ["SECRET_KEY"]):
            env[name] = secrets.token_hex(32)
        env["TRUSTED_PROXIES"] = "1"
        env["PYTHONPATH"] = self.project
        python = sys.executable
        for command in self.spec.get("setup", []):
            subprocess.run(
                [python, "-m", *command], cwd=self.project, env=env, check=True,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
        self.app_port = free_port()
        self.log = open(os.path.join(self.tmp, "gunicorn.log"), "wb")
        gunicorn = subprocess.Popen(
            [
                python, "-m", "gunicorn", "--workers", "1", "--threads", "4",
                "--bind", f"127.0.0.1:{self.app_port}", self.spec["app"],
            ],
            cwd=self.project, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.processes.append(gunicorn)
        wait_for_port(self.app_port, gunicorn, "gunicorn")

        cert, key = make_certificate(self.tmp)
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        temp = {name: os.path.join(self.tmp, name) for name in
                ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        conf = f"""
{user}
worker_processes 1;
daemon off;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    server {{
        listen 127.0.0.1:{self.port} ssl;
        server_name localhost;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://127.0.0.1:{self.app_port};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""
        conf_path = os.path.join(self.tmp, "nginx.conf")
        with open(conf_path, "w") as f:
            f.write(conf)
        nginx = subprocess.Popen(
            [NGINX, "-p", self.tmp, "-c", conf_path, "-e", os.path.join(self.tmp, "nginx-stderr.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        self.processes.append(nginx)
        wait_for_port(self.port, nginx, "nginx")
        self.url = f"https://127.0.0.1:{self.port}"
        self.cert = cert
        return self

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def gunicorn_log(self):
        with open(os.path.join(self.tmp, "gunicorn.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def request(self, method, path, source="127.0.0.1", body=None, headers=None):
        context = ssl.create_default_context(cafile=self.cert)
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=context, timeout=15,
            source_address=(source, 0),
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        finally:
            connection.close()


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--ignore-certificate-errors", "--no-first-run", "--disable-extensions",
        # No internet here: other hosts fail at once instead of timing out.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTENER})
    return driver


def check(driver, expectation):
    """Whether the page meets one expectation now, and what was seen. An
    element the page's script replaces between finding and reading it is
    "not yet", so the caller polls again."""
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        return check_once(driver, expectation)
    except StaleElementReferenceException:
        return False, "element replaced while read"


def check_once(driver, expectation):
    from selenium.webdriver.common.by import By

    elements = driver.find_elements(By.CSS_SELECTOR, expectation["selector"])
    if not elements:
        return False, "no element"
    element = elements[0]
    if "attribute" in expectation:
        value = element.get_attribute(expectation["attribute"])
        return value == expectation["value"], f"{expectation['attribute']}={value!r}"
    text = element.text.strip()
    if "text" in expectation:
        return text == expectation["text"], f"text={text!r}"
    if "text_matches" in expectation:
        return re.search(expectation["text_matches"], text) is not None, f"text={text!r}"
    return True, "present"


def wait_until(driver, expectations, timeout=6):
    deadline = time.monotonic() + timeout
    results = []
    while True:
        results = [(e, *check(driver, e)) for e in expectations]
        if all(ok for _, ok, _ in results) or time.monotonic() > deadline:
            return results
        time.sleep(0.2)


def pages(project, spec):
    from selenium.webdriver.common.by import By

    report = {"pages": []}
    with Stack(project, spec) as stack:
        driver = browser()
        try:
            for page in spec["pages"]:
                status, headers = stack.request("GET", page["path"])
                lower = {k.lower(): v for k, v in headers.items()}
                driver.get(stack.url + page["path"])
                results = wait_until(driver, page.get("expect", []))
                for selector, value in page.get("fill", {}).items():
                    field = driver.find_element(By.CSS_SELECTOR, selector)
                    field.clear()
                    field.send_keys(value)
                if "click" in page:
                    driver.find_element(By.CSS_SELECTOR, page["click"]).click()
                    results += wait_until(driver, page.get("after_click", []))
                time.sleep(0.3)
                violations = driver.execute_script("return window.__cspViolations || []")
                console = [
                    entry["message"] for entry in driver.get_log("browser")
                    if "Content Security Policy" in entry.get("message", "")
                ]
                report["pages"].append({
                    "path": page["path"],
                    "status": status,
                    "csp": lower.get("content-security-policy"),
                    "csp_report_only": lower.get("content-security-policy-report-only"),
                    "enforced": [v for v in violations if v["disposition"] == "enforce"],
                    "report_only": [v for v in violations if v["disposition"] != "enforce"],
                    "console": console,
                    "checks": [
                        {"expect": e, "ok": ok, "seen": seen} for e, ok, seen in results
                    ],
                })
        finally:
            driver.quit()
        report["gunicorn_log"] = stack.gunicorn_log()
    return report


def limits(project, spec, minute):
    login = spec["login"]
    page = spec["pages"][0]["path"]
    form = lambda user, password: urllib.parse.urlencode(
        {login["username_field"]: user, login["password_field"]: password}
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    report = {}
    with Stack(project, spec) as stack:
        post = lambda source, user, password, extra=None: stack.request(
            "POST", login["path"], source, form(user, password), {**headers, **(extra or {})}
        )[0]
        # (a) a person reloading one page once a second for a minute
        statuses = []
        interval = minute / 60.0
        for _ in range(60):
            started = time.monotonic()
            statuses.append(stack.request("GET", page, "127.0.0.5")[0])
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
        report["steady_429"] = statuses.count(429)
        report["steady_other"] = sorted({s for s in statuses if s != 200})
        # (b) a burst of 30 wrong-password logins from one address
        burst = [post("127.0.0.2", f"burst-{i % 3}", "wrong password") for i in range(30)]
        report["burst_429"] = burst.count(429)
        report["burst_first_429"] = burst.index(429) + 1 if 429 in burst else None
        # (c) another client can still log in
        report["other_client_login"] = post("127.0.0.3", login["username"], login["password"])
        # (d) the burst client forges X-Forwarded-For
        report["forged_xff"] = post(
            "127.0.0.2", "burst-forged", "wrong password", {"X-Forwarded-For": "203.0.113.7"}
        )
        # (e) one account, guesses from 30 addresses
        spread = [post(f"127.0.0.{10 + i}", "victim", "wrong password") for i in range(30)]
        report["spread_429"] = spread.count(429)
        report["gunicorn_log"] = stack.gunicorn_log()
    return report


def serve(project, spec):
    with Stack(project, spec) as stack:
        print(json.dumps({"url": stack.url, "ca_cert": stack.cert}), flush=True)
        sys.stdin.read()
    return None


def main():
    mode, project, spec_path = sys.argv[1:4]
    minute = 60.0
    if "--minute" in sys.argv:
        minute = float(sys.argv[sys.argv.index("--minute") + 1])
    with open(spec_path) as f:
        spec = json.load(f)
    if mode == "pages":
        result = pages(project, spec)
    elif mode == "limits":
        result = limits(project, spec, minute)
    elif mode == "serve":
        serve(project, spec)
        return
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
