#!/usr/bin/env python3
"""Takes a screenshot of a page with headless Chromium once a condition holds, for the
docs (deploy/docs/screenshots/). Uses the DevTools-pipe driver of the browser test.

usage: screenshot.py URL OUT.png [JS-CONDITION]
e.g.   screenshot.py 'http://127.0.0.1:8480/#token=EXAMPLE-demo-operator-token' shot.png \\
           "document.querySelectorAll('#queue tr[data-incident]').length > 0"
"""
import os, shutil, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dashboard_browser_test import Browser  # noqa: E402


def main():
    url, out = sys.argv[1], sys.argv[2]
    condition = sys.argv[3] if len(sys.argv) > 3 else "document.readyState === 'complete'"
    profile = tempfile.mkdtemp(prefix="pw-shot-")
    browser = Browser(shutil.which("chromium"), profile)
    try:
        browser.attach()
        browser.call("Page.navigate", {"url": url})
        browser.wait_for(condition, "the condition")
        time.sleep(1.0)  # cosmetic: let the last render settle before the picture
        browser.screenshot(out)
        print("saved", out)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
