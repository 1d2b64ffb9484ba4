#!/usr/bin/env python3
"""The web console in a real browser against a real controller.

Starts `loa-controller` (temp state directory, LOA_ADMIN_PASSWORD, HTTP on a free 127.0.0.1 port)
and one `loa-gateway` (ALSA file PCM, so it plays into a file) connected to it, then drives the
console with Selenium and Debian's headless Chromium: a wrong password shows the API's message;
log in; the gateways table shows both the connected gateway with its health and the one that never
connected; a command round trip; upload a WAV (and a refused non-audio file); listen; approve;
schedule; the list and the 7-day preview; a scheduled relay (refusals in words, listed with its next
window, deleted); a program built (reordered by keyboard), saved, edited, a clash shown, deleted; English and back (remembered across a reload); Vietnamese diacritics; both
languages have the same keys; an announcement and stop; a relay from the live page (the controller
pulls an MP3 the test serves on loopback: 8 s of a tone, then silence) on air with its source,
listened to in an <audio>, its silence shown, stopped; a bulletin recorded from the browser's
microphone (Chromium's fake device playing a tone file the test writes: level meter, listen back,
upload) whose stored audio is checked against the file (tones, frequencies, correlation); a live
broadcast from the browser's microphone with its red on-air panel, whose listen URL carries the
file's tones, stopped; an encoder's broadcast with its Icecast
mount; the live and schedules pages at 390 px; the play log and its CSV; a technician sees no
content actions; logout. Then (console_audit.py) every page as an administrator, a district's
operator, a commune's broadcaster and a technician at 390 px — no overflow, every control named,
nothing offered that the role or its scope may not do —, an announcement sent and stopped by
keyboard alone, a gateway's detail opened and closed by keyboard, and with 10 000 more gateways
the pickers finding, sending to and naming one past the 5 000 they used to load. Screenshots go to a temp directory (printed at the end).

Environment: LOA_TEST_CONTROLLER_BIN, LOA_TEST_GATEWAY_BIN (default .build/debug/…), LOA_CONSOLE_SCREENSHOTS
(a directory; default a new temp dir), LOA_CONSOLE_KEEP=1 keeps the state directory.
Exit status 0 when every check passes, 1 otherwise.
"""
import concurrent.futures
import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import audio_match
import console_audit

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = 'console-test-Mật-khẩu-1'
TECH_PASSWORD = 'technician-pass-42'
VIETNAM = timezone(timedelta(hours=7))
WAIT = 30  # seconds; every wait ends as soon as its condition holds
UPSTREAM_TONE_SECONDS = 8  # the relay's upstream: a tone this long, then silence
SILENCE_SECONDS = 3  # live.relay_silence_seconds of the test's controller
CAPTURE_DEVICE = 'null'  # live.capture_devices: offered in the form (no stream is recorded from it)


class CheckFailed(Exception):
    pass


class Fatal(CheckFailed):
    """A failure no amount of waiting can mend (a daemon exited)."""


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def binary(variable, name):
    path = Path(os.environ.get(variable) or ROOT / '.build' / 'debug' / name)
    check(path.is_file() and os.access(path, os.X_OK), f'{name} not found at {path}: build it or set {variable}')
    return str(path)


class Api:
    """A minimal client of the HTTP API, for setting up what the browser then shows."""

    def __init__(self, base):
        self.base = base
        self.token = None

    def call(self, method, path, body=None, raw=None, content_type=None, query=''):
        data, headers = None, {}
        if body is not None:
            data, headers['Content-Type'] = json.dumps(body).encode(), 'application/json'
        if raw is not None:
            data, headers['Content-Type'] = raw, content_type
        if self.token:
            headers['Authorization'] = 'Bearer ' + self.token
        request = urllib.request.Request(f'{self.base}/api/v1{path}{query}', data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text.startswith('{') else text)

    def ok(self, method, path, body=None, **kwargs):
        status, answer = self.call(method, path, body, **kwargs)
        check(200 <= status < 300, f'{method} {path} → {status} {answer}')
        return answer


class Processes:
    """The controller and gateway processes with their logs; stopped with SIGTERM at the end."""

    def __init__(self, work):
        self.work = work
        self.children = []

    def start(self, name, argv, env):
        log = open(self.work / f'{name}.log', 'wb')
        # The daemons read LOA_* variables as configuration: pass only this test's.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith('LOA_')}
        child = subprocess.Popen(argv, env={**inherited, **env}, stdout=log, stderr=subprocess.STDOUT)
        self.children.append((name, child, log))
        return child

    def stop(self):
        for name, child, log in reversed(self.children):
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            log.close()

    def tail(self, name, lines=40):
        path = self.work / f'{name}.log'
        return '\n'.join(path.read_text(errors='replace').splitlines()[-lines:]) if path.exists() else ''


def wait_for(what, condition, timeout=WAIT, interval=0.2):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
            if last:
                return last
        except Fatal:
            raise
        except Exception as error:  # noqa: BLE001 - keep polling until the deadline
            last = error
        time.sleep(interval)
    raise CheckFailed(f'timed out after {timeout} s waiting for {what} (last: {last!r})')


def start_controller(procs, work, http_port):
    gateway_port = free_port()
    env = {
        'LOA_ADMIN_PASSWORD': ADMIN_PASSWORD,
        'LOA_CTL_STATE_DIRECTORY': str(work / 'controller'),
        'LOA_CTL_GATEWAYS_LISTEN_HOST': '127.0.0.1',
        'LOA_CTL_GATEWAYS_LISTEN_PORT': str(gateway_port),
        'LOA_CTL_HTTP_LISTEN': f'127.0.0.1:{http_port}',
        'LOA_CTL_LIVE_RELAY_SILENCE_SECONDS': str(SILENCE_SECONDS),
        'LOA_CTL_LIVE_CAPTURE_DEVICES': CAPTURE_DEVICE,
    }
    child = procs.start('controller', [binary('LOA_TEST_CONTROLLER_BIN', 'loa-controller')], env)
    base = f'http://127.0.0.1:{http_port}'

    def healthy():
        if child.poll() is not None:
            raise Fatal(f'loa-controller exited with {child.returncode}:\n{procs.tail("controller")}')
        with urllib.request.urlopen(base + '/healthz', timeout=2) as response:
            return response.status == 200
    wait_for('the controller to answer /healthz', healthy, timeout=60)
    return base, gateway_port


def start_gateway(procs, work, gateway_port, gateway_id, secret):
    """A real gateway playing into an ALSA file PCM, reporting health every 10 s."""
    config = work / f'{gateway_id}.toml'
    config.write_text(f"""
[gateway]
id = "{gateway_id}"
secret = "{secret}"
state_directory = "{work / gateway_id}"

[controller]
hosts = ["127.0.0.1:{gateway_port}"]
reconnect_base_ms = 200

[audio]
pcm = "file:FILE={work / (gateway_id + '.raw')},FORMAT=raw"

[amplifier]
mode = "none"
pre_roll_ms = 0

[health]
interval_seconds = 10

[control]
socket = "{work / (gateway_id + '.sock')}"
group = ""
""")
    return procs.start(gateway_id, [binary('LOA_TEST_GATEWAY_BIN', 'loa-gateway'), '--config', str(config)], {})


def start_upstream(procs, work):
    """A relay's upstream: Python's HTTP server on loopback holding one MP3, a 440 Hz tone then silence."""
    directory = work / 'upstream'
    directory.mkdir()
    subprocess.run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=90',
                    '-af', f"volume='if(lt(t,{UPSTREAM_TONE_SECONDS}),1,0)':eval=frame",
                    '-c:a', 'libmp3lame', '-b:a', '64k', str(directory / 'tiep-song.mp3')], check=True)
    port = free_port()
    child = procs.start('upstream', [sys.executable, '-m', 'http.server', '--bind', '127.0.0.1',
                                     '--directory', str(directory), str(port)], {})
    url = f'http://127.0.0.1:{port}/tiep-song.mp3'

    def serving():
        if child.poll() is not None:
            raise Fatal(f'the upstream HTTP server exited with {child.returncode}:\n{procs.tail("upstream")}')
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.headers['Content-Type'] == 'audio/mpeg'
    wait_for('the upstream HTTP server', serving)
    return url


def make_wav(path):
    """A spoken Vietnamese sentence (espeak-ng), or a tone from sox when espeak-ng is missing."""
    if shutil.which('espeak-ng'):
        subprocess.run(['espeak-ng', '-v', 'vi', '-w', str(path),
                        'Xin chào bà con. Đây là bản tin thử nghiệm của đài truyền thanh xã.'], check=True)
    else:
        subprocess.run(['sox', '-n', '-r', '22050', '-c', '1', '-b', '16', str(path), 'synth', '4', 'sine', '440'], check=True)


def browser(downloads, microphone):
    """Headless Chromium whose microphone is `microphone` (a WAV it plays in a loop), granted without a prompt."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
    for argument in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1440,1000',
                     '--autoplay-policy=no-user-gesture-required', '--lang=vi',
                     '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
                     f'--use-file-for-fake-audio-capture={microphone}'):
        options.add_argument(argument)
    options.add_experimental_option('prefs', {
        'download.default_directory': str(downloads), 'download.prompt_for_download': False,
    })
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(shutil.which('chromedriver') or '/usr/bin/chromedriver'), options=options)
    driver.set_page_load_timeout(WAIT)
    return driver


class Console:
    """The browser side: finding things, waiting for them, screenshots, JS errors."""

    def __init__(self, driver, base, shots):
        self.d = driver
        self.base = base
        self.shots = shots
        self.console_errors = []

    def open(self, fragment=''):
        self.d.get(self.base + '/' + fragment)
        # Confirmation dialogs (restart, archive, announce, stop) answer "yes" in the test.
        self.d.execute_script('window.confirm = () => true;')

    def wait(self, what, condition, timeout=WAIT):
        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.2,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: condition())
        except TimeoutException:
            self.shot('timeout')
            raise CheckFailed(f'timed out after {timeout} s waiting for {what}')

    def css(self, selector):
        return self.d.find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector, what=None):
        return self.wait(what or f'element {selector}', lambda: next(iter(e for e in self.css(selector) if e.is_displayed()), None))

    def text(self, selector):
        # Read in one script call: a list re-rendered between a find and a read would go stale.
        return self.d.execute_script(
            'return Array.from(document.querySelectorAll(arguments[0]), (e) => e.innerText).join(" ");', selector)

    def click(self, selector):
        element = self.one(selector)
        self.d.execute_script('arguments[0].scrollIntoView({block: "center"})', element)
        element.click()

    def login(self, username, password):
        """Logs in from the login form (after a logout, or the first page) and waits for the tabs."""
        self.one('#login-username').clear()
        self.one('#login-username').send_keys(username)
        self.one('#login-password').clear()
        self.one('#login-password').send_keys(password)
        self.click('#login-submit')
        self.one('#nav a[data-page="dashboard"]')

    def page(self, name):
        self.click(f'#nav a[data-page="{name}"]')
        self.wait(f'page {name}', lambda: self.d.execute_script(
            'return document.getElementById("page").dataset.page') == name and self.css('#page h1'))

    def set_value(self, selector, value):
        self.d.execute_script(
            'const e = document.querySelector(arguments[0]); e.value = arguments[1];'
            'e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true}));',
            selector, value)

    def narrow(self, name):
        """The page at a phone's 390 px: nothing reaches past the screen's edge (a table scrolls in its box)."""
        self.d.set_window_size(390, 900)
        try:
            self.wait('the narrow window', lambda: self.d.execute_script('return window.innerWidth') <= 400)
            # What sticks out: a box past the edge, or content wider than its box (outside the tables' own scroll).
            past = self.d.execute_script('''
              const w = document.documentElement.clientWidth;
              // Inside an SVG, shapes scale with its viewBox: the svg element itself is what is checked.
              return [...document.querySelectorAll('body *')].filter((e) => !e.closest('.table-wrap') && !e.parentElement.closest('svg'))
                .filter((e) => e.getBoundingClientRect().right + window.scrollX > w + 1
                               || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'))
                .slice(-5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${e.scrollWidth} px in ${e.clientWidth}`);''')
            scroll, width = self.d.execute_script(
                'return [document.documentElement.scrollWidth, document.documentElement.clientWidth]')
            path = self.shots / f'{len(list(self.shots.iterdir())):02d}-{name}-390px.png'
            height = self.d.execute_script('return document.documentElement.scrollHeight')
            self.d.set_window_size(390, min(max(900, height + 20), 4000))
            self.d.save_screenshot(str(path))
            check(not past and scroll <= width, f'{name} at {width} px: page {scroll} px wide; past the edge: {past}')
        finally:
            self.d.set_window_size(1440, 1000)

    def shot(self, name):
        """A screenshot of the whole page (the window grows to the page's height for it)."""
        path = self.shots / f'{len(list(self.shots.iterdir())):02d}-{name}.png'
        height = self.d.execute_script('return document.documentElement.scrollHeight')
        self.d.set_window_size(1440, min(max(1000, height + 20), 4000))
        self.d.save_screenshot(str(path))
        self.d.set_window_size(1440, 1000)
        return path

    def collect_errors(self):
        # Refused requests (401, 403, 409, 415 …) are logged by Chromium as "Failed to load
        # resource"; they are expected here. Anything else SEVERE is a script error.
        for entry in self.d.get_log('browser'):
            if entry['level'] == 'SEVERE' and 'Failed to load resource' not in entry['message']:
                self.console_errors.append(entry['message'])


def run(work, shots, downloads):
    procs = Processes(work)
    driver = None
    try:
        http_port = free_port()
        base, gateway_port = start_controller(procs, work, http_port)
        api = Api(base)

        # What a wrong password gets from the API itself, to compare with what the page shows.
        status, refusal = api.call('POST', '/login', {'username': 'admin', 'password': 'wrong-password'})
        check(status == 401 and refusal['error']['code'] == 'unauthorized', f'wrong password → {status} {refusal}')
        api.token = api.ok('POST', '/login', {'username': 'admin', 'password': ADMIN_PASSWORD})['token']

        # A province → district → commune with two gateways: one connects, one never does.
        api.ok('POST', '/areas', {'id': 'tinh-thu', 'name': 'Tỉnh Thử', 'kind': 'province', 'parentId': None})
        api.ok('POST', '/areas', {'id': 'huyen-thu', 'name': 'Huyện Thử', 'kind': 'district', 'parentId': 'tinh-thu'})
        api.ok('POST', '/areas', {'id': 'xa-tan-lap', 'name': 'Xã Tân Lập', 'kind': 'commune', 'parentId': 'huyen-thu'})
        live = api.ok('POST', '/gateways', {'id': 'xa-tan-lap-01', 'name': 'Cụm loa chợ Tân Lập', 'areaId': 'xa-tan-lap',
                                            'location': {'latitude': 21.0285, 'longitude': 105.8542}})
        api.ok('POST', '/gateways', {'id': 'xa-tan-lap-02', 'name': 'Cụm loa thôn Đông', 'areaId': 'xa-tan-lap'})
        api.ok('POST', '/users', {'username': 'kythuat', 'password': TECH_PASSWORD, 'role': 'technician', 'areaId': 'huyen-thu'})
        # A commune without gateways: a relay there is refused.
        api.ok('POST', '/areas', {'id': 'xa-vang', 'name': 'Xã Vắng', 'kind': 'commune', 'parentId': 'huyen-thu'})
        gateway = start_gateway(procs, work, gateway_port, 'xa-tan-lap-01', live['secret'])
        wait_for('gateway xa-tan-lap-01 online with a health report', lambda: (
            lambda g: g['online'] and g.get('health'))(api.ok('GET', '/gateways/xa-tan-lap-01')['gateway']), timeout=60)

        upstream = start_upstream(procs, work)
        microphone = work / 'microphone.wav'
        audio_match.write_mic_wav(microphone)
        driver = browser(downloads, microphone)
        ui = Console(driver, base, shots)
        steps(ui, api, work, downloads, refusal['error']['message'], upstream)
        # Issue 15, part 8: every page in each role at 390 px, a form by keyboard alone (console_audit.py).
        approved = next(b['sha256'] for b in api.ok('GET', '/bulletins?state=approved')['items'])
        console_audit.role_sweep(ui, api, check, approved, upstream, TECH_PASSWORD, ADMIN_PASSWORD)
        console_audit.keyboard_flow(ui, api, check, approved, TECH_PASSWORD)
        restart = lambda: start_gateway(procs, work, gateway_port, 'xa-tan-lap-01', live['secret'])  # noqa: E731
        gateway = overview(ui, api, gateway, restart)
        week_calendar(ui, api, work)
        administration(ui, api)
        gateway = overview_at_scale(ui, api, gateway, restart)
        console_audit.pickers_at_scale(ui, api, check, approved, ADMIN_PASSWORD)
        ui.collect_errors()
        check(not ui.console_errors, 'JavaScript errors in the browser console:\n' + '\n'.join(ui.console_errors))
    except Exception:
        if driver:
            try:
                Console(driver, '', shots).shot('failure')
            except Exception:  # noqa: BLE001 - the failure itself matters more
                pass
        for name in ('controller', 'xa-tan-lap-01'):
            print(f'--- {name} log (tail) ---\n{procs.tail(name)}', file=sys.stderr)
        raise
    finally:
        if driver:
            driver.quit()
        procs.stop()


def steps(ui, api, work, downloads, wrong_password_message, upstream):
    d = ui.d
    ui.open()
    d.execute_script('localStorage.clear(); sessionStorage.clear();')
    ui.open()

    # 1. Login page in Vietnamese; a wrong password shows the API's own message.
    check(ui.one('#login h1').text == 'Đăng nhập', 'the login page is not in Vietnamese')
    check(d.execute_script('return document.characterSet') == 'UTF-8', 'the page is not read as UTF-8')
    ui.one('#login-username').send_keys('admin')
    ui.one('#login-password').send_keys('wrong-password')
    ui.click('#login-submit')
    shown = ui.one('#login-message .message.error .api-message', 'the login error').text
    check(shown == wrong_password_message, f'login error shows {shown!r}, the API said {wrong_password_message!r}')
    check('Sai tên đăng nhập hoặc mật khẩu' in ui.text('#login-message'), 'the login error has no Vietnamese sentence')
    ui.shot('login-wrong-password')

    # 2. Log in: the gateways page, both gateways, one online with its health, one offline.
    ui.one('#login-password').clear()
    ui.one('#login-password').send_keys(ADMIN_PASSWORD)
    ui.click('#login-submit')
    ui.one('#gateway-list tr[data-id="xa-tan-lap-02"]', 'the gateways table')
    check('admin' in ui.text('#user-name') and 'Quản trị' in ui.text('#user-role'), 'the header does not show the user and role')
    ui.wait('the live gateway online in the table', lambda: 'Đang kết nối' in ui.text('#gateway-list tr[data-id="xa-tan-lap-01"]'))
    live_row = ui.text('#gateway-list tr[data-id="xa-tan-lap-01"]')
    check('Cụm loa chợ Tân Lập' in live_row and 'Xã Tân Lập' in live_row, f'live row lacks name/area: {live_row!r}')
    check('%' in live_row, f'live row shows no volume: {live_row!r}')
    check('Mất kết nối' in ui.text('#gateway-list tr[data-id="xa-tan-lap-02"]'), 'the never-connected gateway is not offline')
    check('1/2' in ui.text('#gateway-summary'), f'summary says {ui.text("#gateway-summary")!r}')
    headers = ui.text('#gateway-list th')
    for label in ('Trạng thái', 'Đang phát', 'Âm lượng', 'Tăng âm', 'Bộ nhớ trống', 'Nhiệt độ', 'Lệch đồng hồ', 'Lỗi gần nhất', 'Liên lạc lần cuối'):
        check(label in headers, f'gateways table lacks column {label!r}: {headers!r}')
    ui.shot('gateways')

    # 3. Detail panel and commands: volume on the live gateway is answered; the offline one refuses.
    ui.click('#gateway-list tr[data-id="xa-tan-lap-01"]')
    ui.one('#gateway-detail[data-id="xa-tan-lap-01"]', 'the detail panel')
    # Issue 15: the health history shows the newest reports first (it showed the oldest 10 of 20).
    # The page first, then the API: a report that arrives in between is newer than what the page
    # read, so the page's first row is the API's newest or the one before it.
    shown = d.execute_script('return [...document.querySelectorAll("#gateway-history table tbody tr")]'
                             '.map(r => r.cells[0].textContent)')
    history = api.ok('GET', '/gateways/xa-tan-lap-01', query='?history=20')['healthHistory']
    newest = sorted((r['at'] for r in history), reverse=True)[:2]
    newest_local = [(datetime.fromisoformat(at.replace('Z', '+00:00')) + timedelta(hours=7)).strftime('%H:%M:%S') for at in newest]
    check(shown and any(local in shown[0] for local in newest_local),
          f'the health history does not start with the newest report {newest_local}: {shown[:3]}')
    # Issue 15: the daemon's uptime and the machine's, load and memory shown; the ALSA state in words.
    facts = ui.text('#gateway-detail')
    for label in ('Dịch vụ đã chạy', 'Máy đã bật', 'Tải CPU (1 phút)', 'Bộ nhớ đang dùng'):
        check(label in facts, f'the detail lacks {label!r}: {facts!r}')
    check(any(words in facts for words in ('sẵn sàng (PREPARED)', 'đang phát (RUNNING)', 'đang nghỉ (closed)')),
          f'the ALSA state is not in words: {facts!r}')
    ui.set_value('#gateway-detail input[name=volume]', '55')
    ui.click('#gateway-detail button[data-action=volume]')
    ui.wait('the volume command answered', lambda: ui.css('#gateway-detail .command-result .message')
            and 'Đang gửi' not in ui.text('#gateway-detail .command-result'))
    result = ui.text('#gateway-detail .command-result')
    check(ui.css('#gateway-detail .command-result .message.ok'), f'volume command failed: {result!r}')
    # The table refreshes itself (every 10 s): the next health report shows the new volume.
    ui.wait('the table to show the new volume without a reload',
            lambda: '55%' in ui.text('#gateway-list tr[data-id="xa-tan-lap-01"]'), timeout=45)
    ui.shot('gateway-detail')
    ui.click('#gateway-list tr[data-id="xa-tan-lap-02"]')
    ui.one('#gateway-detail[data-id="xa-tan-lap-02"]', 'the offline gateway detail')
    ui.click('#gateway-detail button[data-action=testTone]')
    ui.wait('the offline refusal', lambda: ui.css('#gateway-detail .command-result .message.error .api-message'))
    status, offline = api.call('POST', '/gateways/xa-tan-lap-02/commands', {'action': 'test-tone', 'seconds': 5, 'frequencyHz': 1000})
    check(status == 409, f'offline command → {status}')
    check(ui.text('#gateway-detail .command-result .api-message') == offline['error']['message'],
          'the offline refusal does not show the API message')

    # 4. Bulletins: upload a WAV with progress; a text file is refused with the API's message.
    wav = work / 'ban-tin.wav'
    make_wav(wav)
    ui.page('bulletins')
    ui.one('#upload-file').send_keys(str(wav))
    title = ui.one('#upload-title')
    title.clear()
    title.send_keys('Bản tin sáng thứ Hai')
    ui.click('#upload-submit')
    ui.wait('the upload confirmation', lambda: ui.css('#upload-message .message.ok') and 'Đã tải lên' in ui.text('#upload-message'), timeout=90)
    row = ui.one('#bulletin-list tr[data-state="draft"]', 'the new draft bulletin')
    check('Bản tin sáng thứ Hai' in row.text and 'Chờ duyệt' in row.text, f'bulletin row: {row.text!r}')
    sha = row.get_attribute('data-sha')
    bulletin = api.ok('GET', f'/bulletins/{sha}')
    check(bulletin['title'] == 'Bản tin sáng thứ Hai', f'stored title is {bulletin["title"]!r}')
    not_audio = work / 'ghi-chu.txt'
    not_audio.write_text('Đây không phải âm thanh.\n' * 50)
    ui.one('#upload-file').send_keys(str(not_audio))
    ui.click('#upload-submit')
    ui.wait('the refusal of a text file', lambda: ui.css('#upload-message .message.error .api-message'), timeout=60)
    status, refused = api.call('POST', '/bulletins', raw=not_audio.read_bytes(), content_type='application/octet-stream', query='?title=x')
    check(status in (415, 422), f'non-audio upload → {status}')
    check(ui.text('#upload-message .api-message') == refused['error']['message'],
          f'upload refusal shows {ui.text("#upload-message .api-message")!r}, API said {refused["error"]["message"]!r}')
    ui.shot('bulletins-refusal')

    # 4b. A bulletin typed as text: an empty text refused in words; heard in the browser, then saved.
    ui.click('#speech-save')
    ui.wait('an empty text refused', lambda: 'empty' in ui.text('#speech-message .api-message'))
    ui.one('#speech-text').send_keys('Kính thưa bà con, chiều nay xã Tân Lập cắt điện từ mười bốn giờ đến mười sáu giờ.')
    ui.set_value('#speech-voice', 'vi-vn-x-south')
    ui.click('#speech-preview')
    heard = ui.wait('the spoken preview to load', lambda: d.execute_script(
        'const a = document.getElementById("speech-audio"); return !a.hidden && a.readyState >= 1 && isFinite(a.duration) ? a.duration : null;'))
    check(3 < heard < 20, f'the preview lasts {heard} s')
    check(not [b for b in api.ok('GET', '/bulletins')['items'] if b['title'].startswith('Kính thưa')], 'a preview stored a bulletin')
    ui.click('#speech-save')
    ui.wait('the spoken bulletin saved', lambda: 'Đã lưu' in ui.text('#speech-message'), timeout=60)
    spoken = next(b for b in api.ok('GET', '/bulletins')['items'] if b['title'].startswith('Kính thưa bà con, chiều nay'))
    check(spoken['state'] == 'draft' and abs(spoken['durationMs'] / 1000 - heard) < 1.5, f'spoken bulletin {spoken} against a {heard} s preview')
    ui.one(f'#bulletin-list tr[data-sha="{spoken["sha256"]}"]', 'the spoken bulletin in the list')
    ui.shot('bulletins-speech')

    # 5. Listen in the browser: the audio (fetched with the token) loads and has the bulletin's length.
    ui.click(f'#bulletin-list tr[data-sha="{sha}"] button[data-action=listen]')
    ui.one('#player-audio', 'the audio player')
    length = ui.wait('the audio to load', lambda: d.execute_script(
        'const a = document.getElementById("player-audio"); return a.readyState >= 1 && isFinite(a.duration) ? a.duration : null;'))
    check(abs(length * 1000 - bulletin['durationMs']) < 1000, f'browser audio lasts {length} s, bulletin {bulletin["durationMs"]} ms')
    check(d.execute_script('return document.getElementById("player-audio").src').startswith('blob:'), 'audio is not a blob')

    # 6. Approve.
    ui.click(f'#bulletin-list tr[data-sha="{sha}"] button[data-action=approve]')
    ui.one(f'#bulletin-list tr[data-sha="{sha}"][data-state="approved"]', 'the approved bulletin')
    check('Đã duyệt' in ui.text(f'#bulletin-list tr[data-sha="{sha}"]'), 'approved state not shown')
    ui.shot('bulletins-approved')

    # 7. Schedule it daily for the commune; the list and the 7-day preview show it.
    ui.click(f'#bulletin-list tr[data-sha="{sha}"] button[data-action=schedule]')
    ui.one('#schedule-form', 'the schedule form')
    check(ui.one('#schedule-bulletin').get_attribute('value') == sha, 'the bulletin is not preselected')
    ui.click('#schedule-submit')  # no target chosen: the form says so before any request
    check('Hãy chọn ít nhất một khu vực hoặc cụm loa' in ui.one('#schedule-message .message.error').text, 'no-target message missing')
    ui.click('#schedule-targets input[name=schedule-areas][value="xa-tan-lap"]')
    ui.set_value('#schedule-at', '06:30:00')
    ui.click('#schedule-submit')
    ui.wait('the schedule saved', lambda: ui.css('#schedule-message .message.ok'))
    ui.wait('the schedule in the list', lambda: len(ui.css('#schedule-list tbody tr[data-id]')) == 1)
    listed = ui.text('#schedule-list tbody tr[data-id]')
    check('Bản tin sáng thứ Hai' in listed and 'Xã Tân Lập' in listed and 'Hằng ngày lúc 06:30' in listed, f'schedule row: {listed!r}')
    entry = api.ok('GET', '/schedules')['items'][0]
    check(entry['at'].startswith('06:30') and entry['recurrence'] == 'daily' and entry['areas'] == ['xa-tan-lap'], f'stored schedule: {entry}')
    preview = ui.wait('the preview', lambda: [e.text for e in ui.css('#schedule-preview tbody tr') if 'Bản tin sáng thứ Hai' in e.text])
    # Both gateways of the commune, once a day, 6 or 7 mornings in the next 7 days.
    check(12 <= len(preview) <= 14, f'the preview shows {len(preview)} plays: {preview}')
    check(all('06:30:00' in p for p in preview), f'preview times: {preview}')
    # A weekly schedule needs a day: the form says so.
    ui.click('#schedule-recurrence input[value=weekly]')
    check(ui.one('#schedule-targets input[name=schedule-areas][value="xa-tan-lap"]').is_selected(), 'the form lost its target')
    ui.click('#schedule-submit')
    check('Hãy chọn ít nhất một ngày' in ui.one('#schedule-message .message.error').text, 'no-day message missing')
    ui.click('#schedule-days input[value="3"]')
    ui.set_value('#schedule-at', '18:00:00')
    ui.click('#schedule-submit')
    ui.wait('the weekly schedule in the list', lambda: len(ui.css('#schedule-list tbody tr[data-id]')) == 2)
    check('Thứ Tư hằng tuần lúc 18:00' in ui.text('#schedule-list'), f'weekly row: {ui.text("#schedule-list")!r}')
    ui.shot('schedules')
    weekly = next(e for e in api.ok('GET', '/schedules')['items'] if e['recurrence'] == 'weekly')
    check(weekly['days'] == [3], f'stored weekly days: {weekly["days"]}')
    ui.click(f'#schedule-list tr[data-id="{weekly["id"]}"] button[data-action=delete]')
    ui.wait('the weekly schedule deleted', lambda: len(ui.css('#schedule-list tbody tr[data-id]')) == 1)
    status, _ = api.call('GET', f'/schedules/{weekly["id"]}')
    check(status == 404, f'deleted schedule still answers {status}')
    scheduled_relay(ui, api, sha, upstream)
    programs(ui, api, work)
    levels_above(ui, api, work, downloads)

    # 8. English, remembered across a reload; then Vietnamese again. Diacritics read back intact.
    ui.page('schedules')
    ui.click('#lang-switch')
    ui.wait('English', lambda: ui.one('#page h1').text == 'Schedule')
    check('Gateways' in ui.text('#nav') and 'Play log' in ui.text('#nav'), f'nav in English: {ui.text("#nav")!r}')
    check('Daily at 06:30' in ui.text('#schedule-list'), 'schedule list not in English')
    check('Scheduled relays' in ui.text('#relay-schedules h2') and 'Upstream' in ui.text('#relay-list th'),
          f'relay section not in English: {ui.text("#relay-schedules h2")!r}')
    ui.open('#/schedules')
    ui.wait('English after a reload', lambda: ui.css('#page h1') and ui.one('#page h1').text == 'Schedule')
    check(d.execute_script('return localStorage.getItem("loa.lang")') == 'en', 'language not stored')
    check(ui.one('#lang-switch').text == 'Tiếng Việt', 'the switch does not offer Vietnamese')
    ui.shot('schedules-english')
    ui.click('#lang-switch')
    ui.wait('Vietnamese again', lambda: ui.one('#page h1').text == 'Lịch phát')
    nav = ui.text('#nav')
    check(nav.split() == 'Tổng quan Cụm loa Bản tin Lịch phát Lịch tuần Chương trình phát thanh Hộp thư cấp trên Gửi bản tin xuống Báo cáo Phát thông báo Phát trực tiếp Nhật ký phát Quản trị'.split(), f'nav text: {nav!r}')
    glyphs = d.execute_script('''
      const c = document.createElement('canvas'); c.width = 60; c.height = 60;
      const g = c.getContext('2d');
      const draw = (s) => { g.clearRect(0, 0, 60, 60); g.font = '40px ' + getComputedStyle(document.body).fontFamily;
                            g.fillText(s, 5, 45); return Array.from(g.getImageData(0, 0, 60, 60).data).join(','); };
      return {plain: draw('e'), accented: draw('ệ'), missing: draw('\\u{10FFFD}'), o: draw('ữ')};''')
    check(glyphs['accented'] != glyphs['plain'], 'ệ renders like e: the diacritics are lost')
    check(glyphs['accented'] != glyphs['missing'] and glyphs['o'] != glyphs['missing'], 'ệ/ữ render as a missing glyph box')
    keys = d.execute_script('return import("/console/i18n.js").then((m) => m._keys);')
    check(set(keys['vi']) == set(keys['en']), f"keys in one language only: {sorted(set(keys['vi']) ^ set(keys['en']))}")
    ui.narrow('schedules')

    # 9. Announce to the commune now, then stop it.
    ui.page('announcements')
    ui.one('#announce-form')
    ui.d.execute_script('document.getElementById("announce-bulletin").value = arguments[0];', sha)
    ui.click('#announce-targets input[name=announce-areas][value="xa-tan-lap"]')
    ui.set_value('#announce-expires', '30')
    ui.click('#announce-submit')
    ui.wait('the announcement sent', lambda: ui.css('#announce-message .message.ok'))
    row = ui.one('#announce-list tbody tr[data-id]', 'the announcement in the list')
    check('Đang phát' in row.text or 'Chờ đến giờ' in row.text, f'announcement row: {row.text!r}')
    ui.shot('announcement')
    ui.click('#announce-list tbody tr[data-id] button[data-action=stop]')
    ui.wait('the announcement stopped', lambda: 'Đã dừng' in ui.text('#announce-list tbody tr[data-id]'))
    announcement = api.ok('GET', '/announcements')['items'][0]
    check(announcement['stoppedAt'] and announcement['stoppedBy'] == 'admin', f'stored announcement: {announcement}')
    check(announcement['priority'] == 120 and announcement['areas'] == ['xa-tan-lap'], f'stored announcement: {announcement}')

    live_relay(ui, api, upstream)
    record_bulletin(ui, api, work)
    live_from_browser(ui, api, work)

    # 9b. Go live: open a broadcast for the commune; the encoder's address and key are shown once, also
    # as an Icecast mount on the Icecast port (named in words: the API does not tell the port); an
    # encoder (ffmpeg: 3 s of a sine as 64 kbit/s MP3 over HTTP PUT) feeds it; the list shows it ended
    # by its source, and the controller counted what it received.
    ui.page('live')
    ui.one('#live-form')
    # The priority field is drawn from GET /me's bands (live 150–199 default 170, emergencies to 255),
    # not from a table of the console's own.
    bands = {b['name']: b for b in api.ok('GET', '/me')['priorityBands']}
    field = ui.one('#live-priority')
    check((field.get_attribute('min'), field.get_attribute('max'), field.get_attribute('value'))
          == (str(bands['live']['min']), str(bands['emergency']['max']), str(bands['live']['default'])),
          f"live priority field: min {field.get_attribute('min')} max {field.get_attribute('max')} value {field.get_attribute('value')}")
    check(f"{bands['live']['min']}–{bands['live']['max']}" in ui.text('#live-form'), 'the live hint shows the band from /me')
    ui.d.execute_script('document.getElementById("live-area").value = "xa-tan-lap";')
    ui.set_value('#live-title', 'Họp dân trực tiếp')
    ui.click('#live-submit')
    ui.wait('the live broadcast opened', lambda: ui.css('#live-source-key'))
    key = ui.text('#live-source-key').strip()
    url = ui.text('#live-source-url').strip()
    check(url.startswith(api.base + '/api/v1/live/') and url.endswith('/source'), f'source address: {url!r}')
    check(len(key) >= 20 and key in ui.text('#live-source-example'), f'source key {key!r} / example')
    opened = api.ok('GET', '/live')['items'][0]
    check(opened['title'] == 'Họp dân trực tiếp' and 'relayUrl' not in opened, f'the new stream: {opened}')
    check(url == f"{api.base}/api/v1/live/{opened['id']}/source", f'source address {url!r} for stream {opened["id"]}')
    check(ui.text('#live-icecast-mount') == f"/live/{opened['id']}" and ui.text('#live-icecast-password') == key
          and 'cổng Icecast của máy chủ (live.icecast_listen)' in ui.text('#live-icecast-port'),
          f"Icecast fields: {ui.text('#live-icecast')!r}")
    row_selector = f'#live-list tbody tr[data-id="{opened["id"]}"]'
    row = ui.one(row_selector, 'the broadcast in the list')
    check('Chờ tín hiệu' in row.text and 'Họp dân trực tiếp' in row.text and 'Bộ mã hóa' in row.text, f'live row: {row.text!r}')
    ui.shot('live-opened')
    ui.narrow('live')
    encoder = subprocess.run(
        ['ffmpeg', '-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3',
         '-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3', '-method', 'PUT', '-auth_type', 'basic',
         url.replace('http://', f'http://source:{key}@', 1)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    check(encoder.returncode == 0, f'ffmpeg as the encoder: {encoder.returncode} {encoder.stdout[-500:]!r}')
    ui.wait('the broadcast ended by its source', lambda: 'Đã kết thúc' in ui.text(row_selector), timeout=30)
    # Why it ended in words, not the API's English ('source ended').
    check('nguồn ngừng gửi' in ui.text(row_selector) and 'source ended' not in ui.text(row_selector),
          f'the end reason is not in words: {ui.text(row_selector)!r}')
    stream = api.ok('GET', f"/live/{opened['id']}")
    check(stream['endReason'] == 'source ended' and stream['startedAt'] and stream['bytesReceived'] > 10_000,
          f'stored live stream: {stream}')
    ui.shot('live-ended')

    # 10. Play log: the live gateway played the announcement; the table and the CSV show it.
    ui.page('playlog')

    def played():
        ui.click('#playlog-filters button[type=submit]')
        time.sleep(1)
        return 'Bản tin sáng thứ Hai' in ui.text('#playlog-list')
    wait_for('play events in the play log', played, timeout=60, interval=1)
    table = ui.text('#playlog-list')
    check('Cụm loa chợ Tân Lập' in table, f'play log lacks the gateway name: {table[:300]!r}')
    ui.shot('playlog')
    ui.click('#playlog-csv')
    csv_file = wait_for('the CSV download', lambda: next(iter(p for p in downloads.glob('loa-play-log-*.csv')), None))
    rows = wait_for('the CSV content', lambda: list(csv.reader(io.StringIO(csv_file.read_text()))) or None)
    check(rows[0] == ['at', 'gateway', 'item', 'bulletin', 'kind', 'position_ms', 'event_id', 'detail', 'origin',
                      'title', 'gateway_name', 'area'], f'CSV header: {rows[0]}')
    check(any(r[1] == 'xa-tan-lap-01' and r[3] == sha and r[9:] == ['Bản tin sáng thứ Hai', 'Cụm loa chợ Tân Lập', 'xa-tan-lap']
              for r in rows[1:]), f'CSV rows: {rows[1:4]}')
    # The outcome of each play: one row per gateway and item, in words.
    d.execute_script('const v = document.getElementById("playlog-view"); v.value = "outcomes";'
                     ' v.dispatchEvent(new Event("change"));')
    ui.wait('the outcomes view', lambda: 'Kết quả' in ui.text('#playlog-list thead')
            and 'Bản tin sáng thứ Hai' in ui.text('#playlog-list tbody'))
    outcome_rows = ui.text('#playlog-list tbody')
    check('Phát xong' in outcome_rows or 'Đang phát' in outcome_rows, f'outcomes view: {outcome_rows[:300]!r}')
    ui.shot('playlog-outcomes')
    # The play log refreshes by itself (issue 15): a new announcement's plays appear without a click.
    d.execute_script('const v = document.getElementById("playlog-view"); v.value = "events";'
                     ' v.dispatchEvent(new Event("change"));')
    ui.wait('the events view', lambda: 'Kết quả' not in ui.text('#playlog-list thead'))
    before = len(ui.css('#playlog-list tbody tr'))
    api.ok('POST', '/announcements', {'bulletin': sha, 'gateways': ['xa-tan-lap-01'], 'priority': 120})
    ui.wait('new plays in the play log without a reload', lambda: len(ui.css('#playlog-list tbody tr')) > before, timeout=60)
    # The month's report now counts what played in Xã Tân Lập, as the API does.
    ui.page('reports')
    ui.set_value('#report-area', 'tinh-thu')
    ui.click('#report-show')
    ui.wait('the report table', lambda: ui.css('#report-table tr[data-area="xa-tan-lap"]'))
    month = local_now().strftime('%Y-%m')
    counted = next(c for c in api.ok('GET', f'/reports/period?area=tinh-thu&month={month}')['communes'] if c['areaId'] == 'xa-tan-lap')
    check(counted['broadcasts']['count'] >= 1 and counted['plays']['count'] >= 1, f'the report missed the plays: {counted}')
    row = ui.text('#report-table tr[data-area="xa-tan-lap"]')
    check(f'{counted["broadcasts"]["count"]} · ' in row, f'report row {row!r} against {counted["broadcasts"]}')

    # 11. A technician: sees the gateways and commands, no upload, approve, schedule or announce.
    ui.click('#logout')
    ui.one('#login-form', 'the login form after logout')
    check(d.execute_script('return sessionStorage.getItem("loa.token")') is None, 'token kept after logout')
    ui.one('#login-username').clear()
    ui.one('#login-username').send_keys('kythuat')
    ui.one('#login-password').send_keys(TECH_PASSWORD)
    ui.click('#login-submit')
    ui.one('#gateway-list tr[data-id="xa-tan-lap-01"]', 'the technician gateways page')
    check('Kỹ thuật viên' in ui.text('#user-role'), 'technician role not shown')
    check(not ui.css('details #add-gateway'), 'a technician sees the add-gateway form')
    ui.click('#gateway-list tr[data-id="xa-tan-lap-01"]')
    ui.one('#gateway-detail button[data-action=testTone]', 'technician command buttons')
    # The gateway played the broadcast of step 9b: its health tells how it was received.
    ui.wait('the live reception in the gateway detail',
            lambda: 'Thu phát trực tiếp' in ui.text('#gateway-detail') and ' gói, mất ' in ui.text('#gateway-detail'), timeout=45)
    reception = next(line for line in ui.text('#gateway-detail').splitlines() if line.startswith('luồng '))
    check(reception.startswith(f'luồng {stream["id"]}: nhận ') and ('mất 0 (0,0 %)' in reception or 'mất 0 (0.0 %)' in reception),
          f'live reception: {reception!r}')
    # Issue 15 part 2: the gateway's as-played history (what it broadcast, newest first, as the
    # API's play log has it) and its recent reports as small charts (the link's round trip at
    # least). A technician's test tone answers in the command result and, once it has played,
    # is in the gateway's as-played history, named as a test tone (a check: the period report
    # does not count it as a broadcast — PeriodReportTests).
    ui.set_value('#gateway-detail input[name=seconds]', '1')
    ui.click('#gateway-detail button[data-action=testTone]')
    ui.wait('the test tone answered', lambda: ui.css('#gateway-detail .command-result .message.ok'))
    result = ui.text('#gateway-detail .command-result')
    check('test-tone-' in result, 'the test tone result does not say what was queued')
    tone = re.search(r'test-tone-[0-9]+-[0-9]+', result).group(0)
    # The detail re-reads its history with the page's 10 s refresh.
    ui.wait('the test tone in the as-played history', lambda: d.execute_script(
        'return [...document.querySelectorAll("#gateway-plays tr[data-item]")].map((r) => r.dataset.item + " " + r.dataset.kind)')
        .count(f'{tone} finished') == 1, timeout=45)
    check('Âm thử' in ui.text(f'#gateway-plays tr[data-item="{tone}"]'), 'the test tone is not named in the history')
    ui.one('#gateway-charts figure[data-series="rtt"]', 'the round-trip chart')
    points = int(d.execute_script('return document.querySelector(\'#gateway-charts figure[data-series="rtt"]\').dataset.points'))
    check(points >= 2 and 'thấp nhất' in ui.text('#gateway-charts'), f'the round-trip chart has {points} points')
    ui.shot('gateway-detail-technician')
    ui.page('bulletins')
    ui.one(f'#bulletin-list tr[data-sha="{sha}"]')
    check(not ui.css('#upload-form'), 'a technician sees the upload form')
    check(not ui.css('#bulletin-list button[data-action=approve], #bulletin-list button[data-action=archive], '
                     '#bulletin-list button[data-action=schedule]'), 'a technician sees content actions')
    ui.page('schedules')
    ui.one('#schedule-list tbody tr[data-id]')
    check(not ui.css('#schedule-form') and not ui.css('#schedule-list button[data-action=delete]'), 'a technician may edit schedules')
    ui.one('#relay-list table', 'the technician sees the scheduled relays')
    check(not ui.css('#relay-form'), 'a technician may schedule relays')
    ui.page('programs')
    ui.one('#program-list table', 'the technician sees the programs')
    check(not ui.css('#program-form') and not ui.css('#program-list button'), 'a technician may build programs')
    ui.page('announcements')
    check(not ui.css('#announce-form'), 'a technician sees the announce form')
    ui.shot('technician-announcements')
    ui.page('live')
    ui.one('#live-list tbody tr[data-id]', 'the technician sees the live broadcasts')
    check(not ui.css('#live-form') and not ui.css('#live-list button[data-action=stop]'), 'a technician may go live')
    ui.click('#logout')
    ui.one('#login-form')


def overview(ui, api, gateway, restart_gateway):
    """The overview: counts, the map and what needs someone, kept live by the controller's event
    stream — the gateway's process killed turns its dot red without a reload, and green again
    when it is back; drill-down province → district → commune; 390 px."""
    d = ui.d
    ui.open()
    ui.login('admin', ADMIN_PASSWORD)
    ui.page('dashboard')
    fleet = api.ok('GET', '/fleet')
    total = len(fleet['gateways'])
    ui.wait('the event stream live', lambda: ui.css('#fleet-live[data-state="live"]'))
    shown_total = ui.text('#fleet-counts [data-condition="total"] strong')
    check(shown_total == str(total), f'the overview counts {shown_total!r} gateways, the API {total}')
    dot = '#fleet-map circle[data-gateway="xa-tan-lap-01"]'
    ui.wait('the live gateway on the map, not offline', lambda: ui.one(dot).get_attribute('data-condition') in ('online', 'playing'))
    offline_before = int(ui.text('#fleet-counts [data-condition="offline"] strong'))
    check('Cụm loa thôn Đông' in ui.text('#fleet-problems') and 'chưa từng kết nối' in ui.text('#fleet-problems'),
          f'the never-connected gateway is not in the list to handle: {ui.text("#fleet-problems")!r}')
    check('chưa có toạ độ' in ui.text('#fleet-map-note'), f'the gateways without coordinates are not counted: {ui.text("#fleet-map-note")!r}')
    ui.shot('overview')
    d.execute_script('window.loaNotReloaded = true;')

    # Killed: its connection closes, the controller pushes the change, the dot turns red —
    # well inside the heartbeat window (120 s by default), here within 10 s.
    killed_at = time.monotonic()
    gateway.kill()
    gateway.wait()
    ui.wait('the killed gateway red on the map', lambda: ui.one(dot).get_attribute('data-condition') == 'offline', timeout=10)
    red_after = time.monotonic() - killed_at
    check(d.execute_script('return window.loaNotReloaded === true;'), 'the page was reloaded to show the change')
    check(int(ui.text('#fleet-counts [data-condition="offline"] strong')) == offline_before + 1, 'the offline count did not move')
    check('Cụm loa chợ Tân Lập' in ui.text('#fleet-problems [data-gateway="xa-tan-lap-01"]'), 'the killed gateway is not in the list to handle')
    print(f'overview: the killed gateway turned red {red_after:.1f} s after the kill')
    ui.shot('overview-gateway-down')
    gateway = restart_gateway()
    ui.wait('the gateway green again', lambda: ui.one(dot).get_attribute('data-condition') in ('online', 'playing'), timeout=60)
    check(d.execute_script('return window.loaNotReloaded === true;'), 'the page was reloaded to show the return')
    check(not ui.css('#fleet-problems [data-gateway="xa-tan-lap-01"]'), 'the gateway back online is still listed to handle')

    # Drill down to the commune through the areas table, and back up by the crumbs.
    for area in ('tinh-thu', 'huyen-thu', 'xa-tan-lap'):
        ui.click(f'#fleet-areas button[data-area="{area}"]')
        ui.wait(f'the overview of {area}', lambda area=area: area not in [b.get_attribute('data-area') for b in ui.css('#fleet-areas button[data-area]')])
    check('Xã Tân Lập' in ui.text('#fleet-crumbs') and 'Toàn hệ thống' in ui.text('#fleet-crumbs'), f'crumbs: {ui.text("#fleet-crumbs")!r}')
    check(ui.text('#fleet-counts [data-condition="total"] strong') == '2', 'the commune does not count its two gateways')
    ui.narrow('overview-commune')
    ui.click('#fleet-crumbs button[data-area="tinh-thu"]')
    ui.one('#fleet-areas button[data-area="huyen-thu"]', 'the province again')
    # English: the same page in the other language.
    ui.click('#lang-switch')
    ui.wait('the overview in English', lambda: 'System overview' in ui.text('#page h1'))
    ui.click('#lang-switch')
    ui.click('#logout')
    ui.one('#login-form')
    return gateway


def week_calendar(ui, api, work):
    """The week calendar: a commune's broadcaster clicks tomorrow's 06:30 slot, saves a daily
    entry there, sees it every day with the clash against an operator's higher-priority entry
    at the same time, edits it to 07:00 and deletes it — all from the calendar."""
    d = ui.d
    mine = upload_approved(api, work, 'calendar-mine', 'Bản tin lịch tuần', 523, 2)
    theirs = upload_approved(api, work, 'calendar-theirs', 'Thông báo của huyện', 587, 2)
    tomorrow = (local_now() + timedelta(days=1)).date().isoformat()
    operator_entry = api.ok('POST', '/schedules', {'bulletin': theirs, 'areas': ['huyen-thu'], 'recurrence': 'daily', 'days': [],
                                                   'at': '06:30:00', 'from': tomorrow, 'until': None, 'priority': 90})
    api.ok('POST', '/users', {'username': 'phatthanh', 'password': TECH_PASSWORD, 'role': 'broadcaster', 'areaId': 'xa-tan-lap'})
    ui.open()
    ui.login('phatthanh', TECH_PASSWORD)
    ui.page('calendar')
    check(d.execute_script('return document.getElementById("calendar-area").value') == 'xa-tan-lap', 'the calendar does not open on the commune')
    if not ui.css(f'.cal-day[data-day="{tomorrow}"]'):
        ui.click('#calendar-next')  # tomorrow is next week's Monday
    ui.one(f'.cal-day[data-day="{tomorrow}"]', "tomorrow's column")
    ui.wait("the district's entry in the calendar", lambda: ui.css(f'.cal-day[data-day="{tomorrow}"] .cal-entry[data-time="06:30"]'))
    # The slot by keyboard (issue 15, part 8): Tab reaches the grid's one tab stop at 06:00, the
    # arrow keys walk to tomorrow's 06:30, Enter opens the form there.
    d.execute_script('document.activeElement.blur(); window.scrollTo(0, 0);')
    console_audit.tab_to(ui, check, '.cal-slot', 'the calendar grid')
    start = d.execute_script('return document.activeElement.dataset.day')
    columns = d.execute_script('return [...document.querySelectorAll(".cal-day")].map((e) => e.dataset.day)')
    check(d.execute_script('return document.activeElement.dataset.time') == '06:00', 'the grid is not entered at 06:00')
    for _ in range(columns.index(tomorrow) - columns.index(start)):
        console_audit.keys(ui, Keys.ARROW_RIGHT)
    console_audit.keys(ui, Keys.ARROW_DOWN)
    check(d.execute_script('return [document.activeElement.dataset.day, document.activeElement.dataset.time]') == [tomorrow, '06:30'],
          'the arrow keys did not reach tomorrow 06:30')
    console_audit.keys(ui, Keys.ENTER)
    ui.one('#calendar-panel #schedule-form', 'the form for the slot')
    check(d.execute_script('return document.getElementById("schedule-at").value').startswith('06:30')
          and d.execute_script('return document.getElementById("schedule-from").value') == tomorrow, 'the form is not at the slot clicked')
    check(d.execute_script('return document.querySelector("input[name=schedule-areas][value=xa-tan-lap]").checked'), 'the commune is not chosen')
    ui.set_value('#schedule-bulletin', mine)
    ui.click('input[name="schedule-recurrence"][value="daily"]')
    ui.shot('calendar-new-entry')
    ui.click('#schedule-submit')
    ui.wait('the form closed and the entry saved', lambda: not ui.css('#calendar-panel #schedule-form') and 'Đã lưu lịch phát' in ui.text('#calendar-message'))
    entries = [e for e in api.ok('GET', '/schedules')['items'] if e['createdBy'] == 'phatthanh']
    check(len(entries) == 1 and entries[0]['recurrence'] == 'daily' and entries[0]['at'] == '06:30:00' and entries[0]['from'] == tomorrow
          and entries[0]['areas'] == ['xa-tan-lap'], f'saved from the calendar: {entries}')
    rule = entries[0]['id']
    days = d.execute_script('return [...document.querySelectorAll(".cal-day")].map((e) => e.dataset.day)')
    expected = [day for day in days if day >= tomorrow]
    shown = d.execute_script('return [...document.querySelectorAll(arguments[0])].map((e) => e.closest(".cal-day").dataset.day)',
                             f'.cal-entry[data-key^="rule-{rule}@"][data-time="06:30"]')
    check(shown == expected, f'the daily entry shows on {shown}, expected every day from tomorrow: {expected}')
    check(all(ui.css(f'.cal-day[data-day="{day}"] .cal-entry.clash[data-key^="rule-{rule}@"]') for day in expected),
          'the clash with the district entry at 06:30 is not marked')
    ui.shot('calendar-week')
    d.execute_script('document.querySelector(arguments[0]).click()', f'.cal-day[data-day="{tomorrow}"] .cal-entry[data-key^="rule-{rule}@"]')
    detail = ui.one('#calendar-entry', 'the entry panel')
    ui.wait('the rule read into the panel', lambda: 'Hằng ngày lúc 06:30' in detail.text)
    check('Thông báo của huyện' in detail.text and 'ưu tiên cao hơn, phát trước' in detail.text, f'the clash is not explained: {detail.text!r}')

    # Edit: the same entry at 07:00 (saved as a new entry replacing the old).
    ui.click('#calendar-entry button[data-action="edit"]')
    ui.one('#calendar-panel #schedule-form', 'the edit form')
    check(d.execute_script('return document.getElementById("schedule-bulletin").value') == mine, 'the edit form lost the bulletin')
    ui.set_value('#schedule-at', '07:00:00')
    ui.click('#schedule-submit')
    ui.wait('the entry moved to 07:00', lambda: ui.css(f'.cal-day[data-day="{tomorrow}"] .cal-entry[data-time="07:00"]'))
    entries = [e for e in api.ok('GET', '/schedules')['items'] if e['createdBy'] == 'phatthanh']
    check(len(entries) == 1 and entries[0]['id'] != rule and entries[0]['at'] == '07:00:00' and entries[0]['recurrence'] == 'daily',
          f'after the edit: {entries}')
    moved = entries[0]['id']
    check(not ui.css(f'.cal-entry[data-key^="rule-{rule}@"]'), 'the old entry is still in the calendar')
    check(not ui.css(f'.cal-day[data-day="{tomorrow}"] .cal-entry.clash[data-key^="rule-{moved}@"]'), 'the moved entry still clashes')
    ui.narrow('calendar')

    # Delete from the calendar.
    d.execute_script('document.querySelector(arguments[0]).click()', f'.cal-day[data-day="{tomorrow}"] .cal-entry[data-key^="rule-{moved}@"]')
    ui.click('#calendar-entry button[data-action="delete"]')
    ui.wait('the entry gone', lambda: not ui.css(f'.cal-entry[data-key^="rule-{moved}@"]'))
    check(not [e for e in api.ok('GET', '/schedules')['items'] if e['createdBy'] == 'phatthanh'], 'the deleted entry is still stored')
    # The district's entry is the operator's: the broadcaster sees it but gets no edit or delete.
    d.execute_script('document.querySelector(arguments[0]).click()', f'.cal-day[data-day="{tomorrow}"] .cal-entry[data-key^="rule-{operator_entry["id"]}@"]')
    ui.wait('the district entry panel', lambda: 'Thông báo của huyện' in ui.text('#calendar-entry') and 'Hằng ngày' in ui.text('#calendar-entry'))
    check(not ui.css('#calendar-entry button[data-action]'), "a broadcaster is offered to change the district's entry")
    api.ok('DELETE', f'/schedules/{operator_entry["id"]}')
    ui.click('#logout')
    ui.one('#login-form')


def administration(ui, api):
    """The administration page: a user created, edited, disabled (their login refused) and
    enabled; the admin's own account neither disabled nor demoted, in the API's words; an area
    renamed; a gateway placed; the audit log narrowed, newest first; no link for a technician."""
    d = ui.d
    ui.open()
    ui.login('admin', ADMIN_PASSWORD)
    ui.page('admin')
    ui.one('#users-list tr[data-username="kythuat"]', 'the users table')
    ui.click('#admin-users details summary')
    ui.one('#user-form input[name="username"]').send_keys('bientap')
    ui.one('#user-form input[name="password"]').send_keys('bien-tap-vien-1')
    ui.set_value('#user-form select[name="role"]', 'broadcaster')
    ui.set_value('#user-form select[name="area"]', 'xa-tan-lap')
    ui.click('#user-form button[type="submit"]')
    ui.one('#users-list tr[data-username="bientap"]', 'the new user in the table')
    check('Cán bộ truyền thanh' in ui.text('#users-list tr[data-username="bientap"]'), 'the new user has not the role chosen')

    # Edit: the role to technician.
    ui.click('#users-list tr[data-username="bientap"] button[data-action="edit"]')
    ui.set_value('.user-editor[data-username="bientap"] select[name="role"]', 'technician')
    ui.click('.user-editor[data-username="bientap"] button[data-action="save"]')
    ui.wait('the role changed', lambda: 'Kỹ thuật viên' in ui.text('#users-list tr[data-username="bientap"]'))
    check(api.ok('GET', '/users/bientap')['role'] == 'technician', 'the role change is not stored')

    # Disable: the login is refused in words; enable again.
    ui.click('#users-list tr[data-username="bientap"] button[data-action="disable"]')
    ui.wait('the user disabled', lambda: 'Đã khoá' in ui.text('#users-list tr[data-username="bientap"]'))
    status, answer = Api(api.base).call('POST', '/login', {'username': 'bientap', 'password': 'bien-tap-vien-1'})
    check(status == 401 and 'disabled' in answer['error']['message'], f'a disabled user logs in: {status} {answer}')
    ui.click('#users-list tr[data-username="bientap"] button[data-action="enable"]')
    ui.wait('the user enabled', lambda: 'Đang hoạt động' in ui.text('#users-list tr[data-username="bientap"]'))
    status, _ = Api(api.base).call('POST', '/login', {'username': 'bientap', 'password': 'bien-tap-vien-1'})
    check(status == 200, f'an enabled user cannot log in: {status}')

    # The admin's own account: not disabled, and the last admin not demoted — the API's sentence shown.
    ui.click('#users-list tr[data-username="admin"] button[data-action="disable"]')
    ui.wait('the refusal to disable oneself', lambda: 'your own account' in ui.text('#users-message'))
    ui.click('#users-list tr[data-username="admin"] button[data-action="edit"]')
    ui.set_value('.user-editor[data-username="admin"] select[name="role"]', 'operator')
    ui.click('.user-editor[data-username="admin"] button[data-action="save"]')
    ui.wait('the refusal to demote the last admin', lambda: 'last system-wide admin' in ui.text('#users-message'))
    check(api.ok('GET', '/users/admin')['role'] == 'admin', 'the last admin was demoted')
    ui.shot('admin-users')

    # An area renamed, a gateway placed.
    d.execute_script('const i = document.querySelector(\'#admin-areas tr[data-area="xa-vang"] input[name="name"]\'); i.value = "Xã Vắng Mới";')
    ui.click('#admin-areas tr[data-area="xa-vang"] button[data-action="save"]')
    ui.wait('the area renamed', lambda: 'Xã Vắng Mới' in ui.text('#areas-message'))
    check(api.ok('GET', '/areas/xa-vang')['name'] == 'Xã Vắng Mới', 'the new area name is not stored')
    ui.set_value('#admin-gateway-search', 'xa-tan-lap-02')
    ui.one('#admin-gateway-list tr[data-id="xa-tan-lap-02"]', 'the gateway found')
    check(not ui.css('#admin-gateway-list tr[data-id="xa-tan-lap-01"]'), 'the search does not narrow the gateways')
    ui.set_value('#admin-gateway-list tr[data-id="xa-tan-lap-02"] input[name="latitude"]', '21.03')
    ui.set_value('#admin-gateway-list tr[data-id="xa-tan-lap-02"] input[name="longitude"]', '105.86')
    ui.click('#admin-gateway-list tr[data-id="xa-tan-lap-02"] button[data-action="save"]')
    ui.wait('the gateway saved', lambda: 'Cụm loa thôn Đông' in ui.text('#admin-gateways-message'))
    location = api.ok('GET', '/gateways/xa-tan-lap-02')['gateway']['location']
    check(location == {'latitude': 21.03, 'longitude': 105.86}, f'the gateway is placed at {location}')

    # The audit log: newest first, narrowed to what was done to bientap.
    ui.set_value('#audit-target', 'bientap')
    ui.click('#audit-filters button[type="submit"]')
    ui.wait('the audit of bientap', lambda: 'user.enable' in ui.text('#audit-list'))
    actions = d.execute_script('return [...document.querySelectorAll("#audit-list tbody tr")].map((r) => r.cells[2].textContent)')
    check(actions[:5] == ['user.login', 'user.enable', 'user.login.disabled', 'user.disable', 'user.update']
          and actions[-1] == 'user.create', f'audit of bientap, newest first: {actions}')
    ui.narrow('admin')
    ui.click('#logout')

    # A technician has nothing to administer: no link.
    ui.login('kythuat', TECH_PASSWORD)
    check(not d.execute_script('return document.querySelector(\'#nav a[data-page="admin"]\').offsetParent'),
          'a technician sees the administration link')
    ui.click('#logout')
    ui.one('#login-form')


SCALE_GATEWAYS = 10_000


def seed_province(api, count):
    """A province of 10 districts × 10 communes and `count` gateways spread over it (2°×1°),
    through the API (eight at a time). Returns the seconds it took."""
    started = time.monotonic()
    api.ok('POST', '/areas', {'id': 'tinh-lon', 'name': 'Tỉnh Lớn', 'kind': 'province', 'parentId': None})
    for d in range(10):
        api.ok('POST', '/areas', {'id': f'huyen-lon-{d}', 'name': f'Huyện {d}', 'kind': 'district', 'parentId': 'tinh-lon'})
        for c in range(10):
            api.ok('POST', '/areas', {'id': f'xa-lon-{d}-{c}', 'name': f'Xã {d}-{c}', 'kind': 'commune', 'parentId': f'huyen-lon-{d}'})

    def add(i):
        d, c = i % 10, (i // 10) % 10
        # Each commune a patch of its district's column: clusters at province zoom, dots when zoomed in.
        api.ok('POST', '/gateways', {'id': f'gw-lon-{i:05d}', 'name': f'Cụm loa {i}', 'areaId': f'xa-lon-{d}-{c}',
                                     'location': {'latitude': 17.0 + c / 10 + (i // 100 % 10) / 110,
                                                  'longitude': 105.0 + d / 5 + (i // 1000) / 60}})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(add, range(count)))
    return time.monotonic() - started


def overview_at_scale(ui, api, gateway, restart_gateway):
    """The overview with 10 000 more gateways: time to first paint and to a state change
    (measured and printed, bounded loosely: a shared machine), clusters, zoom, and a
    broadcaster who sees only their commune."""
    d = ui.d
    seeded = seed_province(api, SCALE_GATEWAYS)
    total = len(api.ok('GET', '/fleet')['gateways'])
    print(f'overview at scale: {SCALE_GATEWAYS} gateways seeded through the API in {seeded:.1f} s')
    ui.open()
    ui.login('admin', ADMIN_PASSWORD)
    started = time.monotonic()
    ui.click('#nav a[data-page="dashboard"]')
    ui.wait(f'{total} gateways counted', lambda: ui.text('#fleet-counts [data-condition="total"] strong') == str(total), timeout=60)
    first_paint = time.monotonic() - started
    ui.wait('the event stream live', lambda: ui.css('#fleet-live[data-state="live"]'))
    clusters = len(ui.css('#fleet-map g.cluster'))
    check(clusters > 10, f'{total} gateways drawn as {clusters} clusters')
    check(len(ui.css('#fleet-map circle.gateway-dot')) < 300, 'the whole system is drawn gateway by gateway')
    offline = int(ui.text('#fleet-counts [data-condition="offline"] strong'))

    # A state change among 10 000: the live gateway killed, the offline count moves.
    killed_at = time.monotonic()
    gateway.kill()
    gateway.wait()
    ui.wait('the offline count to move', lambda: ui.text('#fleet-counts [data-condition="offline"] strong') == str(offline + 1), timeout=30)
    changed = time.monotonic() - killed_at
    # The page still answers at once (a script round trip, not a frozen main thread).
    probe = time.monotonic()
    d.execute_script('return document.querySelectorAll("#fleet-map g.cluster").length')
    answered = time.monotonic() - probe
    print(f'overview at scale: {total} gateways, first paint {first_paint:.2f} s, a gateway offline shown {changed:.2f} s '
          f'after its kill, {clusters} clusters, a script answered in {answered * 1000:.0f} ms')
    check(first_paint < 30 and changed < 10 and answered < 2, 'the overview with 10 000 gateways is too slow (see the figures above)')
    ui.shot('overview-10000')

    # Drill into the province, then zoom into a cluster: fewer marks, and the way back.
    ui.click('#fleet-areas button[data-area="tinh-lon"]')
    ui.wait('the province in view', lambda: ui.text('#fleet-counts [data-condition="total"] strong') == str(SCALE_GATEWAYS))
    before = len(ui.css('#fleet-map g.cluster, #fleet-map circle.gateway-dot'))
    ui.d.execute_script('document.querySelector("#fleet-map g.cluster").dispatchEvent(new MouseEvent("click", {bubbles: true}))')
    ui.one('#fleet-zoom-out', 'the zoom-out button')
    check(ui.css('#fleet-map circle.gateway-dot') or len(ui.css('#fleet-map g.cluster')) != before, 'zooming into a cluster changed nothing')
    ui.shot('overview-10000-zoomed')
    ui.click('#fleet-zoom-out')
    gateway = restart_gateway()

    # The gateways table pages through 10 000 instead of drawing them all every 10 s.
    ui.page('gateways')
    ui.one('#gateway-pager #gateway-next', 'the pager of the gateways table')
    rows = lambda: d.execute_script('return [...document.querySelectorAll("#gateway-list tr[data-id]")].map((r) => r.dataset.id)')  # noqa: E731
    first = ui.wait('the first page', lambda: (lambda r: r if len(r) == 200 else None)(rows()))
    ui.click('#gateway-next')
    ui.wait('the second page', lambda: (lambda r: len(r) == 200 and r[0] not in first)(rows()))
    check('201–400' in ui.text('#gateway-summary'), f'the summary of page 2: {ui.text("#gateway-summary")!r}')

    # A broadcaster of one commune: its 100 gateways, nothing of anyone else — on the overview
    # and on the gateways page.
    api.ok('POST', '/users', {'username': 'phatthanh-lon', 'password': TECH_PASSWORD, 'role': 'broadcaster', 'areaId': 'xa-lon-0-0'})
    ui.click('#logout')
    ui.login('phatthanh-lon', TECH_PASSWORD)
    ui.page('dashboard')
    ui.wait('the commune alone', lambda: ui.text('#fleet-counts [data-condition="total"] strong') == '100')
    check('Tỉnh Lớn' not in ui.text('#fleet-crumbs') and 'Xã 0-0' in ui.text('#fleet-crumbs'), f'crumbs: {ui.text("#fleet-crumbs")!r}')
    attributes = 'return [...document.querySelectorAll(arguments[0])].map((e) => e.getAttribute(arguments[1]));'
    dots = d.execute_script(attributes, '#fleet-map circle.gateway-dot', 'data-gateway')
    check(len(dots) == 100 and all(dot.startswith('gw-lon-') and int(dot[-5:]) % 100 == 0 for dot in dots),
          f'the broadcaster sees other gateways on the map: {sorted(dots)[:5]} ({len(dots)})')
    ui.page('gateways')
    ui.one('#gateway-list tr[data-id]', 'the broadcaster gateways table')
    rows = d.execute_script(attributes, '#gateway-list tr[data-id]', 'data-id')
    check(rows and all(int(r[-5:]) % 100 == 0 for r in rows) and 'xa-tan-lap-01' not in rows,
          f'the broadcaster sees other gateways in the table: {rows[:5]}')
    ui.click('#logout')
    ui.one('#login-form')
    return gateway


def local_now():
    """Now in the deployment's zone (Asia/Ho_Chi_Minh keeps UTC+7 all year)."""
    return datetime.now(VIETNAM)


def scheduled_relay(ui, api, sha, upstream):
    """7b. Scheduled relays on the schedules page: a missing address is refused by the form, a relay
    that would never play by the API (its sentence shown as it is); a daily relay with a fallback
    bulletin is listed with its next window in local time, then deleted."""
    d = ui.d
    ui.one('#relay-form', 'the scheduled relay form')
    d.execute_script('document.getElementById("relay-area").value = "xa-tan-lap";')
    ui.set_value('#relay-title', 'Thời sự trưa Đài tỉnh')
    ui.click('#relay-submit')
    check('Hãy nhập địa chỉ luồng' in ui.one('#relay-message .message.error').text, 'no-address message missing')
    ui.set_value('#relay-url', upstream)
    # Once, yesterday: every window has passed.
    yesterday = (local_now() - timedelta(days=1)).strftime('%Y-%m-%d')
    ui.click('#relay-recurrence input[value=once]')
    check(not ui.one('#relay-until').is_enabled(), 'until is open for a one-off relay')
    ui.set_value('#relay-from', yesterday)
    ui.set_value('#relay-at', '06:00:00')
    ui.click('#relay-submit')
    ui.wait('the API refusal of a relay in the past', lambda: ui.css('#relay-message .message.error .api-message'))
    status, refused = api.call('POST', '/relay-schedules', {
        'areaId': 'xa-tan-lap', 'title': 'Thời sự trưa Đài tỉnh', 'relayUrl': upstream, 'recurrence': 'once', 'days': [],
        'at': '06:00:00', 'from': yesterday, 'until': None, 'durationSeconds': 1800, 'priority': 20})
    check(status == 422, f'a relay in the past → {status} {refused}')
    check(ui.text('#relay-message .api-message') == refused['error']['message'],
          f'relay refusal shows {ui.text("#relay-message .api-message")!r}, API said {refused["error"]["message"]!r}')
    # Daily, three hours from now, 45 minutes, the approved bulletin as its fallback.
    at = (local_now() + timedelta(hours=3)).strftime('%H:%M:00')
    ui.click('#relay-recurrence input[value=daily]')
    ui.set_value('#relay-from', local_now().strftime('%Y-%m-%d'))
    ui.set_value('#relay-at', at)
    ui.set_value('#relay-duration', '45')
    ui.set_value('#relay-fallback', sha)
    ui.click('#relay-submit')
    ui.wait('the scheduled relay saved', lambda: ui.css('#relay-message .message.ok'))
    rule = ui.wait('the scheduled relay in the API', lambda: next(iter(api.ok('GET', '/relay-schedules')['items']), None))
    check((rule['recurrence'], rule['at'], rule['durationSeconds'], rule['fallbackBulletin'], rule['priority'], rule['relayUrl'])
          == ('daily', at, 2700, sha, 20, upstream), f'stored relay schedule: {rule}')
    next_window = datetime.fromisoformat(rule['nextWindow'].replace('Z', '+00:00')).astimezone(VIETNAM)
    check(next_window.strftime('%H:%M:%S') == at and timedelta(0) < next_window - local_now() <= timedelta(hours=3),
          f'next window {rule["nextWindow"]} for a daily relay at {at}')
    row_selector = f'#relay-list tbody tr[data-id="{rule["id"]}"]'
    ui.one(row_selector, 'the scheduled relay in the list')
    listed = ui.text(row_selector)
    for expected in ('Thời sự trưa Đài tỉnh', 'Xã Tân Lập', f'Hằng ngày lúc {at[:5]}', '45 phút', 'Bản tin sáng thứ Hai', upstream,
                     next_window.strftime('%d/%m/%Y'), next_window.strftime('%H:%M:%S')):
        check(expected in listed, f'relay row lacks {expected!r}: {listed!r}')
    ui.shot('schedules-relay')
    ui.click(f'{row_selector} button[data-action=delete]')
    ui.wait('the scheduled relay deleted', lambda: not ui.css(row_selector) and 'Chưa có lịch tiếp sóng nào' in ui.text('#relay-list'))
    status, _ = api.call('GET', f'/relay-schedules/{rule["id"]}')
    check(status == 404, f'deleted relay schedule still answers {status}')


def program_time():
    """A daily start three hours ahead, clear of step 7's daily 06:30 entry (the same priority: a clash)."""
    start = local_now() + timedelta(hours=3)
    if abs(start.hour * 60 + start.minute - (6 * 60 + 30)) < 60:
        start += timedelta(hours=2)
    return start.strftime('%H:%M:00')


def upload_approved(api, work, name, title, hz, seconds):
    """A tone uploaded and approved through the API (a distinct one each time: bulletins are stored by content)."""
    wav = work / f'{name}.wav'
    subprocess.run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', f'sine=frequency={hz}:duration={seconds}',
                    '-ac', '1', '-ar', '22050', str(wav)], check=True)
    stored = api.ok('POST', '/bulletins', raw=wav.read_bytes(), content_type='audio/wav', query='?title=' + urllib.parse.quote(title))
    return api.ok('POST', f'/bulletins/{stored["sha256"]}/approve')['sha256']


def programs(ui, api, work):
    """7c. Programs: a jingle and a bulletin approved through the API; a program built in the builder
    (jingle, bulletin, a 3 s pause; the bulletin moved above the jingle with the keyboard; the warning
    when it runs longer than planned) and saved: stored in the built order, its next start shown in
    local time; edited from the list (the pause removed, a relay of the provincial station added with a
    stand-in) and saved whole; a second program at the same
    time and area refused as a clash, the API's sentence shown and the form kept; deleted."""
    d = ui.d
    jingle = upload_approved(api, work, 'nhac-hieu', 'Nhạc hiệu Đài xã', 660, 3)
    bulletin = upload_approved(api, work, 'tin-nong-nghiep', 'Tin nông nghiệp tuần này', 330, 5)
    at = program_time()

    def order():
        """The builder's items as the page shows them."""
        return d.execute_script('return [...document.querySelectorAll("#program-items li[data-type]")].map((li) => li.dataset.type);')

    ui.page('programs')
    ui.one('#program-form', 'the program builder')
    check(ui.text('#program-form-title') == 'Tạo chương trình mới', f'builder title: {ui.text("#program-form-title")!r}')
    ui.click('#program-submit')  # nothing filled in: the form says so before any request
    check('Hãy đặt tên cho chương trình' in ui.text('#program-message .message.error'), 'no-name message missing')
    ui.set_value('#program-name', 'Thời sự sáng')
    ui.set_value('#program-area', 'xa-tan-lap')
    ui.set_value('#program-at', at)
    ui.set_value('#program-planned', '1')
    ui.set_value('#program-bulletin', jingle)
    ui.click('#program-add-jingle')
    ui.set_value('#program-bulletin', bulletin)
    ui.click('#program-add-bulletin')
    ui.set_value('#program-pause-seconds', '3')
    ui.click('#program-add-pause')
    check(order() == ['jingle', 'bulletin', 'pause'], f'items as built: {order()}')
    # The bulletin's Up button by keyboard: the moved item keeps the focus (on Down, Up being off at the top).
    ui.one('#program-items li[data-position="2"] button[data-action=up]').send_keys(Keys.ENTER)
    check(order() == ['bulletin', 'jingle', 'pause'], f'items after moving the bulletin up: {order()}')
    focused = d.execute_script('const e = document.activeElement; return [e.closest("li") && e.closest("li").dataset.type, e.dataset.action];')
    check(focused == ['bulletin', 'down'], f'the focus after the move: {focused}')
    total = ui.text('#program-total')
    check(total == 'Tổng thời lượng: 0:11 / dự kiến 1:00' and not ui.css('#program-total.over'), f'total: {total!r}')
    # 6 s planned: the excess is shown, and the pause (starting at 8 s) is left out under finish-item.
    ui.set_value('#program-planned', '0.1')
    ui.wait('the over-length warning', lambda: ui.css('#program-total.over') and 'Dài hơn dự kiến 0:05' in ui.text('#program-total'))
    check(ui.css('#program-items li[data-type=pause].left-out') and not ui.css('#program-items li[data-type=jingle].left-out'),
          'the item past the planned length is not marked')
    ui.set_value('#program-planned', '1')
    check(not ui.css('#program-total.over'), 'the warning stays after the planned length grew')
    ui.shot('programs-builder')
    ui.narrow('programs-builder')

    ui.click('#program-submit')
    ui.wait('the program saved', lambda: ui.css('#program-message .message.ok'))
    stored = ui.wait('the program in the API', lambda: next(iter(api.ok('GET', '/programs')['items']), None))
    items = [(i['type'], i['bulletin'], i['seconds']) for i in stored['items']]
    check(items == [('bulletin', bulletin, None), ('jingle', jingle, None), ('pause', None, 3)], f'stored items: {stored["items"]}')
    check((stored['name'], stored['areaId'], stored['recurrence'], stored['at'], stored['plannedSeconds'], stored['overrun'], stored['priority'])
          == ('Thời sự sáng', 'xa-tan-lap', 'daily', at, 60, 'finish-item', 60), f'stored program: {stored}')
    first = datetime.fromisoformat(stored['nextOccurrences'][0].replace('Z', '+00:00')).astimezone(VIETNAM)
    check(first.strftime('%H:%M:%S') == at, f'next start {stored["nextOccurrences"][0]} for a daily program at {at}')
    row = f'#program-list tbody tr[data-id="{stored["id"]}"]'
    ui.one(row, 'the program in the list')
    for shown in (ui.text('#program-next'), ui.text(row)):
        check(first.strftime('%d/%m/%Y') in shown and first.strftime('%H:%M:%S') in shown, f'next start not shown in local time: {shown!r}')
    listed = ui.text(row)
    for expected in ('Thời sự sáng', 'Xã Tân Lập', f'Hằng ngày lúc {at[:5]}', '0:11 / 1:00'):
        check(expected in listed, f'program row lacks {expected!r}: {listed!r}')
    check(d.execute_script(CELL_BY_HEADING, '#program-list', row, 'Số mục') == '3', 'the row does not count 3 items')
    ui.one(f'#program-form[data-id="{stored["id"]}"]', 'the builder on the saved program')

    # Edit from the list: the pause removed, the whole program saved again (PUT, not a second one).
    ui.click('#program-new')
    check(not order() and ui.one('#program-name').get_attribute('value') == '', 'the new builder is not empty')
    ui.click(f'{row} button[data-action=edit]')
    ui.wait('the program in the builder', lambda: ui.one('#program-name').get_attribute('value') == 'Thời sự sáng')
    check(order() == ['bulletin', 'jingle', 'pause'] and 'Sửa chương trình “Thời sự sáng”' in ui.text('#program-form-title'),
          f'the builder on edit: {order()} {ui.text("#program-form-title")!r}')
    ui.click('#program-items li[data-type=pause] button[data-action=remove]')
    check(order() == ['bulletin', 'jingle'], f'items after removing the pause: {order()}')
    # A relay of the provincial station after the jingle, with the bulletin as its stand-in; a relay
    # without an address is refused by the form first.
    ui.set_value('#program-relay-title', 'Thời sự Đài tỉnh')
    ui.set_value('#program-relay-minutes', '0.5')
    ui.click('#program-add-relay')
    check('Tiếp sóng cần địa chỉ http://' in ui.text('#program-items-message .message.error'), 'a relay without an address was added')
    ui.set_value('#program-relay-url', 'http://127.0.0.1:9/dai-tinh.mp3')
    ui.set_value('#program-relay-fallback', bulletin)
    ui.click('#program-add-relay')
    check(order() == ['bulletin', 'jingle', 'relay'], f'items after adding the relay: {order()}')
    relay_row = ui.text('#program-items li[data-type=relay]')
    check('Thời sự Đài tỉnh' in relay_row and 'dai-tinh.mp3' in relay_row and 'dự phòng: Tin nông nghiệp tuần này' in relay_row
          and 'dài 0:30' in relay_row, f'the relay row: {relay_row!r}')
    ui.click('#program-submit')
    ui.wait('the edit saved', lambda: ui.css('#program-message .message.ok'))
    programs_now = api.ok('GET', '/programs')['items']
    check(len(programs_now) == 1 and programs_now[0]['id'] == stored['id'], f'programs after the edit: {programs_now}')
    check([(i['type'], i['bulletin']) for i in programs_now[0]['items']] == [('bulletin', bulletin), ('jingle', jingle), ('relay', None)],
          f'items after the edit: {programs_now[0]["items"]}')
    relay = programs_now[0]['items'][2]
    check((relay['url'], relay['title'], relay['seconds'], relay['fallbackBulletin'])
          == ('http://127.0.0.1:9/dai-tinh.mp3', 'Thời sự Đài tỉnh', 30, bulletin), f'the stored relay: {relay}')
    ui.wait('the row counting 3 items', lambda: d.execute_script(CELL_BY_HEADING, '#program-list', row, 'Số mục') == '3')
    ui.narrow('programs-relay')

    # A second program at the same time and area: the API's clash sentence, and the form as it was.
    ui.click('#program-new')
    ui.set_value('#program-name', 'Chương trình trùng giờ')
    ui.set_value('#program-area', 'xa-tan-lap')
    ui.set_value('#program-at', at)
    ui.set_value('#program-bulletin', bulletin)
    ui.click('#program-add-bulletin')
    ui.click('#program-submit')
    ui.wait('the clash refusal', lambda: ui.css('#program-message .message.error .api-message'))
    status, clash = api.call('POST', '/programs', {
        'areaId': 'xa-tan-lap', 'name': 'Chương trình trùng giờ', 'recurrence': 'daily', 'days': [], 'at': at,
        'from': local_now().strftime('%Y-%m-%d'), 'until': None, 'plannedSeconds': None, 'overrun': 'finish-item',
        'priority': 60, 'items': [{'type': 'bulletin', 'bulletin': bulletin}]})
    check(status == 409 and clash['error']['code'] == 'clash' and 'Thời sự sáng' in clash['error']['message'], f'a clash → {status} {clash}')
    check(ui.text('#program-message .api-message') == clash['error']['message'],
          f'clash shows {ui.text("#program-message .api-message")!r}, API said {clash["error"]["message"]!r}')
    check('Trùng giờ' in ui.text('#program-message strong'), 'the clash has no Vietnamese sentence')
    check(ui.one('#program-name').get_attribute('value') == 'Chương trình trùng giờ' and order() == ['bulletin']
          and ui.one('#program-at').get_attribute('value') == at, 'the form lost what was entered')
    check(len(api.ok('GET', '/programs')['items']) == 1, 'the clashing program was saved')
    ui.shot('programs-clash')

    ui.click(f'{row} button[data-action=delete]')
    ui.wait('the program deleted', lambda: not ui.css(row) and 'Chưa có chương trình nào' in ui.text('#program-list'))
    status, _ = api.call('GET', f'/programs/{stored["id"]}')
    check(status == 404, f'deleted program still answers {status}')


def levels_above(ui, api, work, downloads):
    """7d. TT 39's levels: a normal bulletin sent down from the send-down page to a district (its two
    communes), followed per commune; the inbox: one commune places it into its program at position 1,
    the other declines it (an empty reason refused in words first); the sender's view shows both; the
    period report of the province: a chart of six months, a row a commune and the total, matching the
    API's figures; its CSV downloaded."""
    sha = upload_approved(api, work, 'tin-tinh', 'Tin của tỉnh gửi xuống', 550, 2)
    program = api.ok('POST', '/programs', {'areaId': 'xa-tan-lap', 'name': 'Chương trình chiều', 'recurrence': 'daily',
                                           'at': program_time(), 'from': local_now().strftime('%Y-%m-%d'),
                                           'items': [{'type': 'bulletin', 'bulletin': sha}]})
    ui.page('dispatches')
    check('Chưa cấu hình kết nối lên cấp trên' in ui.text('#link-card'), f'link card: {ui.text("#link-card")!r}')
    ui.set_value('#dispatch-bulletin', sha)
    ui.set_value('#dispatch-area', 'huyen-thu')
    ui.set_value('#dispatch-class', 'normal')
    check('hộp thư' in ui.text('#dispatch-class-hint'), f'class hint: {ui.text("#dispatch-class-hint")!r}')
    ui.one('#dispatch-note').send_keys('Phát trong tuần này')
    ui.click('#dispatch-send')
    ui.wait('the dispatch sent', lambda: 'Đã gửi tới 2 xã' in ui.text('#dispatch-message'))
    sent = api.ok('GET', '/dispatches')['items'][0]
    ui.wait('the sender view', lambda: len(ui.css('#dispatch-view tbody tr[data-area]')) == 2)
    check(all('Đã nhận' in r.text for r in ui.css('#dispatch-view tbody tr[data-area]')), 'targets are not shown as delivered')

    ui.page('inbox')
    ui.wait('two inbox items', lambda: len(ui.css('#inbox-list tbody tr[data-id]')) == 2)
    items = {i['areaId']: i for i in api.ok('GET', '/inbox')['items']}
    ui.click(f'#inbox-list tr[data-id="{items["xa-tan-lap"]["id"]}"] button.inbox-open')
    ui.wait('the item opened', lambda: ui.css('#inbox-item #inbox-place'))
    ui.set_value('#inbox-program', str(program['id']))
    ui.set_value('#inbox-position', '1')
    ui.click('#inbox-place')
    ui.wait('placed', lambda: 'Đã xếp vào buổi' in ui.text('#inbox-detail-message'))
    ui.click(f'#inbox-list tr[data-id="{items["xa-vang"]["id"]}"] button.inbox-open')
    ui.wait('the other item opened', lambda: ui.css('#inbox-item #inbox-decline'))
    ui.click('#inbox-decline')
    ui.wait('an empty reason refused', lambda: ui.css('#inbox-detail-message .api-message'))
    ui.one('#inbox-reason').send_keys('Xã chưa có chương trình phù hợp')
    ui.click('#inbox-decline')
    ui.wait('declined', lambda: 'Đã từ chối' in ui.text('#inbox-detail-message'))
    states = {t['areaId']: t for t in api.ok('GET', f'/dispatches/{sent["id"]}')['targets']}
    check(states['xa-tan-lap']['state'] == 'placed' and states['xa-tan-lap']['position'] == 1, f'placed target: {states["xa-tan-lap"]}')
    check(states['xa-vang']['state'] == 'declined' and states['xa-vang']['reason'] == 'Xã chưa có chương trình phù hợp',
          f'declined target: {states["xa-vang"]}')
    ui.page('dispatches')
    ui.click(f'#dispatch-list tr[data-id="{sent["id"]}"] button.dispatch-open')
    ui.wait('the sender sees both answers', lambda: 'Đã xếp vào chương trình' in ui.text('#dispatch-view tr[data-area="xa-tan-lap"]')
            and 'Xã chưa có chương trình phù hợp' in ui.text('#dispatch-view tr[data-area="xa-vang"]'))
    ui.shot('dispatch-sender-view')

    ui.page('reports')
    ui.set_value('#report-area', 'tinh-thu')
    ui.click('#report-show')
    ui.wait('the report table', lambda: ui.css('#report-table tr[data-area="total"]'))
    month = local_now().strftime('%Y-%m')
    report = api.ok('GET', f'/reports/period?area=tinh-thu&month={month}')
    bars = ui.d.execute_script('return [...document.querySelectorAll("#report-chart text.tick")].map((t) => t.textContent);')
    check(month in bars and len([b for b in bars if len(b) == 7]) == 6, f'chart months: {bars}')
    for commune in report['communes']:
        row = ui.one(f'#report-table tr[data-area="{commune["areaId"]}"]', commune['areaId'])
        check(row.text.startswith(commune['name']) and f'{commune["broadcasts"]["count"]} · ' in row.text,
              f'report row {row.text!r} against {commune["broadcasts"]}')
    online = ui.d.execute_script(CELL_BY_HEADING, '#report-table', '#report-table tr[data-area="xa-tan-lap"]', 'Thời gian kết nối')
    check(online and online.endswith('%'), f'time online cell: {online!r}')
    ui.shot('report')
    ui.click('#report-csv')
    csv_file = wait_for('the report CSV', lambda: next(iter(downloads.glob('loa-report-tinh-thu-*.csv')), None))
    header = csv_file.read_text(encoding='utf-8').splitlines()[0]
    check(header.startswith('area_id,name,from,to,broadcasts'), f'report CSV header: {header!r}')
    api.ok('DELETE', f'/programs/{program["id"]}')


# The text of one cell of a table row, found by its column's heading (arguments: table, row, heading).
CELL_BY_HEADING = '''
  const heads = [...document.querySelectorAll(arguments[0] + ' thead th')].map((th) => th.innerText.trim());
  const row = document.querySelector(arguments[1]);
  return row && heads.includes(arguments[2]) ? row.cells[heads.indexOf(arguments[2])].innerText.trim() : null;'''


def live_relay(ui, api, upstream):
    """9a. A relay from the live page: the microphone choice lists the controller's devices; a relay for
    a commune without gateways is refused in words; a relay of the test's upstream goes on air with
    its source shown; Listen plays its listen path in an <audio>, one listener counted; the upstream's
    silence shows as a badge with its time; the player closes; Stop ends it."""
    d = ui.d
    ui.page('live')
    ui.one('#live-form')
    check(ui.one('#live-source-kind input[value=encoder]').is_selected(), 'the encoder is not the default source')
    check(ui.css('#live-source-kind input[value=device]')[0].is_displayed(), 'the microphone choice is hidden')
    options = [o.get_attribute('value') for o in ui.css('#live-device option')]
    check(options == ['', CAPTURE_DEVICE], f'microphones offered: {options}')
    check(not ui.css('#live-relay-url')[0].is_displayed(), 'the relay address shows for an encoder')
    ui.click('#live-source-kind input[value=relay]')
    ui.one('#live-relay-url', 'the relay address field')
    d.execute_script('document.getElementById("live-area").value = "xa-vang";')
    ui.set_value('#live-title', 'Tiếp sóng Đài tỉnh')
    ui.set_value('#live-relay-url', upstream)
    ui.click('#live-submit')
    ui.wait('the refusal of a relay to nowhere', lambda: ui.css('#live-message .message.error .api-message'))
    status, refused = api.call('POST', '/live', {'areaId': 'xa-vang', 'title': 'Tiếp sóng Đài tỉnh', 'relayUrl': upstream})
    check(status == 422 and 'no gateways' in refused['error']['message'], f'a relay to an area without gateways → {status} {refused}')
    check(ui.text('#live-message .api-message') == refused['error']['message'],
          f'relay refusal shows {ui.text("#live-message .api-message")!r}, API said {refused["error"]["message"]!r}')

    d.execute_script('document.getElementById("live-area").value = "xa-tan-lap";')
    ui.click('#live-submit')
    ui.wait('the relay opened', lambda: ui.css('#live-message .message.ok'))
    check(not ui.css('#live-source-key'), 'a relay shows an encoder key')
    stream = api.ok('GET', '/live')['items'][0]
    check(stream.get('relayUrl') == upstream and stream['title'] == 'Tiếp sóng Đài tỉnh', f'the relay stream: {stream}')
    row_selector = f'#live-list tbody tr[data-id="{stream["id"]}"]'
    ui.one(f'{row_selector}[data-state="on-air"]', 'the relay on air in the table')
    row = ui.text(row_selector)
    check('Đang phát' in row and f'Tiếp sóng: {upstream}' in row, f'relay row: {row!r}')

    ui.click(f'{row_selector} button[data-action=listen]')
    ui.one('#live-player-audio', 'the live player')
    check('Đang nghe: Tiếp sóng Đài tỉnh' in ui.text('#live-player-title'), f'player title: {ui.text("#live-player")!r}')
    listen_path = api.ok('GET', f'/live/{stream["id"]}')['listenPath']
    src = d.execute_script('return document.getElementById("live-player-audio").src')
    check(src == api.base + listen_path, f'the player plays {src!r}, the listen path is {listen_path!r}')
    d.execute_script('const a = document.getElementById("live-player-audio"); a.muted = true; a.play().catch(() => {});')
    played = ui.wait('the live audio to play', lambda: d.execute_script(
        'const a = document.getElementById("live-player-audio");'
        'return a.error ? {error: a.error.code} : (a.readyState >= 2 && a.currentTime > 1 ? {time: a.currentTime} : null);'))
    check('error' not in played, f'the live player reports media error {played}')
    ui.wait('one listener in the table', lambda: d.execute_script(CELL_BY_HEADING, '#live-list', row_selector, 'Người nghe') == '1')
    ui.shot('live-relay-listening')

    badge = ui.one(f'{row_selector} .badge.silent', 'the silent upstream badge')
    silent_since = api.ok('GET', f'/live/{stream["id"]}')['silentSince']
    since = datetime.fromisoformat(silent_since.replace('Z', '+00:00')).astimezone(VIETNAM)
    check(badge.text.endswith(f'Mất tiếng từ {since.strftime("%H:%M:%S")}'), f'silent badge {badge.text!r}, silentSince {silent_since}')
    ui.shot('live-relay-silent')

    ui.click('#live-player button[data-action=close]')
    ui.wait('the player closed', lambda: not ui.css('#live-player-audio')
            and d.execute_script('return document.getElementById("live-player").hidden'))
    ui.click(f'{row_selector} button[data-action=stop]')
    ui.one(f'{row_selector}[data-state="ended"]', 'the relay ended')
    ended = api.ok('GET', f'/live/{stream["id"]}')
    check(ended['endReason'] == 'stopped by operator' and 'listenPath' not in ended, f'stopped relay: {ended}')
    check(not ui.css(f'{row_selector} button[data-action=listen]'), 'an ended stream offers Listen')
    ui.click('#live-source-kind input[value=encoder]')
    check(not ui.css('#live-relay-url')[0].is_displayed(), 'the relay address stays for an encoder')


def recorded_audio_matches(data, what):
    """Decodes `data` and checks it is the fake microphone's file: the tones in order (50 ms windows),
    their frequencies, the waveform's correlation with the file across each tone boundary. Returns
    the figures, printed by the caller."""
    samples = audio_match.decode(data)
    rate = 24_000
    offset, fraction, windows = audio_match.align(samples, rate)
    check(windows >= 20 and fraction >= 0.95, f'{what}: the tones match the file in {fraction:.0%} of {windows} windows')
    tones = audio_match.tone_frequencies(samples, rate, offset)
    worst = max((abs(measured - hz) for hz, measured in tones), default=99)
    check(len(tones) >= 3 and worst < 2, f'{what}: tone frequencies {tones}')
    around = audio_match.correlations(samples, rate, offset)
    check(len(around) >= 3 and min(r for r, _ in around) >= 0.95,
          f'{what}: correlation with the file around each tone boundary {around}')
    lags = [lag for _, lag in around]
    return {'seconds': round(len(samples) / rate, 2), 'windows': windows, 'match': round(fraction, 3),
            'tones': len(tones), 'worst_hz_error': round(worst, 4), 'boundaries': len(around),
            'min_correlation': round(min(r for r, _ in around), 4),
            'lag_spread_ms': round((max(lags) - min(lags)) * 1000, 2)}


def record_bulletin(ui, api, work):
    """9a'. Record from the browser's microphone (Chromium's fake device playing the test's tone file):
    the level meter moves and the time counts while recording; Stop gives a WAV to listen back to;
    Upload stores it as a bulletin; the bulletin's audio (loudness-normalised MP3 on the controller)
    is the file: the tones in order at their frequencies, the waveform correlated with it."""
    d = ui.d
    ui.page('bulletins')
    ui.one('#record-card')
    check('Ghi âm bản tin' in ui.text('#record-card h2'), 'the recording card has no Vietnamese title')
    check(d.execute_script('return document.getElementById("record-level").getAttribute("aria-label")') == 'Mức âm micro',
          'the level meter has no label')
    ui.set_value('#record-title', 'Ghi âm từ trình duyệt')
    ui.click('#record-start')
    ui.wait('recording', lambda: ui.text('#record-state') == 'Đang ghi…')
    ui.wait('the level meter moving', lambda: d.execute_script('return document.getElementById("record-level").value') > -30)
    ui.shot('record-recording')
    ui.narrow('bulletins')  # while recording: the meter and the time fit a phone
    ui.wait('about 6.5 s recorded', lambda: ui.text('#record-elapsed') >= '0:07', timeout=20)
    ui.click('#record-stop')
    ui.one('#record-audio', 'the recording to listen back to')
    check(ui.text('#record-message').startswith('Đã ghi 0:0'), f"after Stop: {ui.text('#record-message')!r}")
    # Listen back: the <audio> plays the WAV built in the page (a blob), as long as what was recorded.
    d.execute_script('const a = document.getElementById("record-audio"); a.muted = true; a.play().catch(() => {});')
    heard = ui.wait('the recording to play back', lambda: d.execute_script(
        'const a = document.getElementById("record-audio");'
        'return a.error ? {error: a.error.code} : (a.currentTime > 0.5 ? {duration: a.duration, src: a.src} : null);'))
    check('error' not in heard and heard['src'].startswith('blob:') and 6.4 <= heard['duration'] < 8, f'listening back: {heard}')
    ui.click('#record-upload')
    ui.wait('the recording uploaded', lambda: 'Đã tải lên “Ghi âm từ trình duyệt”' in ui.text('#record-message'))
    check(not d.execute_script('return document.getElementById("record-audio").getAttribute("src")'), 'the uploaded recording stays')
    stored = next((b for b in api.ok('GET', '/bulletins')['items'] if b['title'] == 'Ghi âm từ trình duyệt'), None)
    check(stored and stored['createdBy'] == 'admin' and 6400 <= stored['durationMs'] < 8000, f'the recorded bulletin: {stored}')
    ui.one(f'#bulletin-list tr[data-sha="{stored["sha256"]}"]', 'the recorded bulletin in the list')
    request = urllib.request.Request(f'{api.base}/api/v1/bulletins/{stored["sha256"]}/audio',
                                     headers={'Authorization': 'Bearer ' + api.token})
    with urllib.request.urlopen(request, timeout=30) as response:
        mp3 = response.read()
    (work / 'recorded-bulletin.mp3').write_bytes(mp3)  # kept with LOA_CONSOLE_KEEP=1
    figures = recorded_audio_matches(mp3, 'the recorded bulletin')
    print(f'recorded bulletin vs the microphone file: {figures}')
    ui.shot('record-uploaded')


def live_from_browser(ui, api, work):
    """9a''. Go live from the browser's microphone to the commune: the red ON AIR panel with the time
    on air and the level while the page sends 0.5 s segments; the stream is on air to the commune's
    gateway and its listen URL carries the microphone's tones; the panel fits 390 px; Stop ends it."""
    d = ui.d
    ui.page('live')
    ui.one('#live-form')
    ui.click('#live-source-kind input[value=browser]')
    check(ui.one('#live-browser-hint').is_displayed(), 'no hint for the browser microphone')
    d.execute_script('document.getElementById("live-area").value = "xa-tan-lap";')
    ui.set_value('#live-title', 'Phát từ micro trình duyệt')
    ui.click('#live-submit')
    ui.one('#live-onair[data-state="on-air"]', 'the on-air panel')
    stream = api.ok('GET', '/live')['items'][0]
    check(stream['title'] == 'Phát từ micro trình duyệt' and stream['state'] == 'on-air' and stream.get('browserSource') == 'admin',
          f'the browser stream: {stream}')
    check(d.execute_script('return document.getElementById("live-onair").dataset.id') == str(stream['id']), 'panel of another stream')
    panel = ui.text('#live-onair')
    check('ĐANG PHÁT TRỰC TIẾP' in panel and 'Phát từ micro trình duyệt' in panel, f'on-air panel: {panel!r}')
    colour = d.execute_script('return getComputedStyle(document.getElementById("live-onair")).backgroundColor')
    check(colour == 'rgb(180, 35, 24)', f'the on-air panel is {colour}, not red')
    ui.wait('the time on air counting', lambda: ui.text('#live-onair-elapsed') >= '0:02')
    ui.wait('the live level meter moving', lambda: d.execute_script('return document.getElementById("live-level").value') > -30)
    wait_for('the gateway on the browser stream', lambda: api.ok('GET', f"/live/{stream['id']}")['gateways'] == 1)
    row_selector = f'#live-list tbody tr[data-id="{stream["id"]}"]'
    ui.wait('the browser stream in the list', lambda: 'Micro trình duyệt của admin' in ui.text(row_selector))
    # The listen URL carries what the microphone hears: 6 s of it, decoded and aligned with the file.
    listen = api.ok('GET', f"/live/{stream['id']}")['listenPath']
    heard = bytearray()
    with urllib.request.urlopen(api.base + listen, timeout=30) as response:
        deadline = time.monotonic() + 7
        while time.monotonic() < deadline:
            chunk = response.read1(4096)
            if not chunk:
                break
            heard += chunk
    (work / 'browser-live.mp3').write_bytes(heard)
    figures = recorded_audio_matches(bytes(heard), 'the live stream from the browser')
    print(f'browser live stream (listen URL) vs the microphone file: {figures}')
    ui.shot('live-browser-on-air')
    ui.narrow('live')
    ui.click('#live-onair-stop')
    ui.wait('the on-air panel gone', lambda: d.execute_script('return document.getElementById("live-onair").hidden'))
    ui.wait('the end said', lambda: 'Buổi phát từ micro đã kết thúc.' in ui.text('#page .message.ok'))
    ended = wait_for('the browser stream ended', lambda: (lambda s: s if s['state'] == 'ended' else None)(
        api.ok('GET', f"/live/{stream['id']}")))
    check(ended['endReason'] == 'stopped by operator' and ended['bytesReceived'] > 0, f'the ended browser stream: {ended}')
    check('browserSource' not in ended, f'an ended stream names a browser source: {ended}')
    ui.click('#live-source-kind input[value=encoder]')
    check(not ui.css('#live-browser-hint')[0].is_displayed(),
          'the browser hint stays for an encoder')


def main():
    work = Path(tempfile.mkdtemp(prefix='loa-console-'))
    shots = Path(os.environ.get('LOA_CONSOLE_SCREENSHOTS') or tempfile.mkdtemp(prefix='loa-console-shots-'))
    shots.mkdir(parents=True, exist_ok=True)
    downloads = work / 'downloads'
    downloads.mkdir()
    started = time.monotonic()
    try:
        run(work, shots, downloads)
    except CheckFailed as failure:
        print(f'console test FAILED: {failure}\nscreenshots: {shots}\nstate: {work}', file=sys.stderr)
        return 1
    finally:
        if not os.environ.get('LOA_CONSOLE_KEEP'):
            shutil.rmtree(work, ignore_errors=True)
    print(f'console test passed in {time.monotonic() - started:.1f} s; screenshots in {shots}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
