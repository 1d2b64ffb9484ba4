"""Issue 15, part 8: the console as a new user meets it, in each role.

`role_sweep` logs in as an administrator, an operator of a district, a broadcaster of a commune
and a technician, and opens every page the role has at a phone's 390 px: nothing reaches past the
screen's edge, every input, select, textarea and button has a name a screen reader can say (its
<label>, aria-label, aria-labelledby or title; a placeholder is not a label), and no control is
there that the role may not use — by the role's actions from GET /me, and by scope: a schedule,
announcement, live broadcast or scheduled relay of the province above plays in the district and
the commune, so they see it, but only the province's level may delete or stop it (the API says 403).
`keyboard_flow` sends an announcement and stops it with the keyboard alone (Tab, arrows, Space,
Enter; the focus always visible), and opens and closes a gateway's detail (Enter, Space, Escape).
`pickers_at_scale` finds, picks and names a gateway past the 5 000 the pickers used to load.

The helpers of test_console.py (check, the Api client, the Console driver) are passed in: this
module is imported by it, not the other way round.
"""
import time
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

VIETNAM = timezone(timedelta(hours=7))
NARROW = 390

# What only a role with the action may see. A selector present in the page at all (drawn, even
# if folded away in a <details>) for a role without the action is a finding.
NEEDS = {
    'uploadBulletins': ['#upload-form', '#record-card', '#speech-form'],
    'reviewBulletins': ['#bulletin-list [data-action=approve]', '#bulletin-list [data-action=archive]'],
    'schedule': ['#schedule-form', '#program-form', '#bulletin-list [data-action=schedule]', '#schedule-list [data-action=delete]',
                 '#program-list button', '#inbox-place', '#inbox-decline', '#calendar-grid .cal-slot:not(:disabled)'],
    'announce': ['#announce-form', '#live-form', '#relay-form', '#dispatch-form', '#announce-list [data-action=stop]',
                 '#live-list [data-action=stop]', '#relay-list [data-action=delete]'],
    'commandGateways': ['#gateway-detail .commands'],
    'manageGateways': ['#add-gateway', '#admin-gateways [data-action=save]', '#admin-gateways [data-action=rotate]'],
    'manageAreas': ['#add-area', '#admin-areas [data-action=save]'],
    'manageUsers': ['#user-form', '#users-list [data-action=edit]'],
    'readAudit': ['#audit-filters'],
}

# The older pages whose tables' buttons must name their row (issue 15, part 8's audit).
ROW_NAMED = {'bulletins', 'schedules', 'announcements', 'live', 'programs', 'inbox', 'admin'}

# Everything on the page that reaches past the right edge (tables scroll inside their own box;
# inside an SVG the svg element itself is what counts), and the page's own width.
OVERFLOW_JS = '''
  const w = document.documentElement.clientWidth;
  // Inside a box that scrolls or clips (a table, the week's grid), reaching past is the box's business.
  const clips = new Map();
  const clipped = (e) => {
    const p = e.parentElement;
    if (!p || p === document.body) return false;
    if (!clips.has(p)) clips.set(p, getComputedStyle(p).overflowX !== 'visible' || clipped(p));
    return clips.get(p);
  };
  const past = [...document.querySelectorAll('body *')]
    .filter((e) => !clipped(e) && !e.parentElement.closest('svg') && e.getClientRects().length)
    .filter((e) => e.getBoundingClientRect().right + window.scrollX > w + 1
                   || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'))
    .slice(-5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: right ${Math.round(e.getBoundingClientRect().right)}, `
      + `${e.scrollWidth} px in ${e.clientWidth} (widest inside: ${[...e.children].map((c) => `${c.tagName.toLowerCase()}.${c.className} ${c.scrollWidth}`).sort((a, b) => parseInt(b.split(' ').pop()) - parseInt(a.split(' ').pop()))[0]})`);
  return {past, scroll: document.documentElement.scrollWidth, width: w};
'''

# Controls without an accessible name: their aria-label, aria-labelledby, <label> (its text
# without the control's own: a <select>'s options are not its name), a button's text or title.
UNNAMED_JS = '''
  const text = (node) => {
    const copy = node.cloneNode(true);
    copy.querySelectorAll('input, select, textarea, button, datalist').forEach((c) => c.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  const nameOf = (e) => {
    const aria = (e.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    const by = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)).filter(Boolean).map((n) => n.textContent.trim()).join(' ').trim();
    if (by) return by;
    const labels = [...(e.labels || [])].map(text).join(' ').trim();
    if (labels) return labels;
    if (e.tagName === 'BUTTON') return e.textContent.trim() || (e.title || '').trim();
    if (['submit', 'button', 'reset'].includes(e.type)) return (e.value || '').trim();
    return (e.title || '').trim();
  };
  const unnamed = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
    .filter((e) => !nameOf(e))
    .map((e) => `${e.tagName.toLowerCase()}#${e.id}[name=${e.getAttribute('name') || ''}][type=${e.getAttribute('type') || ''}]`);
  // A row's buttons say what they act on: ten "Delete" buttons in a table tell a screen reader nothing.
  const names = [...document.querySelectorAll('#page table button')].map(nameOf);
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  return {unnamed, repeated};
'''


def local_now():
    return datetime.now(VIETNAM)


def visit(ui, name):
    """Opens a page by its address (as a bookmark or a typed link would) and waits for it."""
    ui.d.execute_script('location.hash = arguments[0];', f'#/{name}')
    ui.wait(f'page {name}', lambda: ui.d.execute_script('return document.getElementById("page").dataset.page') == name
            and ui.css('#page h1'))


def audit_page(ui, check, where):
    """The page in view at 390 px: no overflow, every control named."""
    ui.wait(f'{where}: the narrow window', lambda: ui.d.execute_script('return window.innerWidth') <= NARROW + 10)
    layout = ui.d.execute_script(OVERFLOW_JS)
    names = ui.d.execute_script(UNNAMED_JS)
    unnamed = names['unnamed']
    if layout['past'] or layout['scroll'] > layout['width'] or unnamed:
        # At the narrow width (Console.shot would widen the window).
        ui.d.save_screenshot(str(ui.shots / f'{len(list(ui.shots.iterdir())):02d}-audit-{where.replace(" ", "-")}.png'))
    check(not layout['past'] and layout['scroll'] <= layout['width'],
          f'{where} at {layout["width"]} px: the page is {layout["scroll"]} px wide; past the edge: {layout["past"]}')
    check(not unnamed, f'{where}: controls without a name: {unnamed}')
    if where.split()[-1] in ROW_NAMED:
        check(not names['repeated'], f'{where}: buttons in a table named alike: {names["repeated"]}')


def make_above(api, sha):
    """What the province's level has made that plays in the district and commune below: a
    schedule entry, a pending announcement, a waiting live broadcast and a scheduled relay."""
    tomorrow = (local_now() + timedelta(days=1)).strftime('%Y-%m-%d')
    entry = api.ok('POST', '/schedules', {
        'bulletin': sha, 'areas': ['tinh-thu'], 'gateways': [], 'recurrence': 'once', 'days': [], 'at': '04:10:00',
        'from': tomorrow, 'until': None, 'priority': 60, 'repeat': 1, 'onBusy': 'queue', 'onInterrupt': 'resume'})
    start = (datetime.now(timezone.utc) + timedelta(hours=5)).strftime('%Y-%m-%dT%H:%M:%SZ')
    announcement = api.ok('POST', '/announcements', {
        'bulletin': sha, 'areas': ['tinh-thu'], 'gateways': [], 'priority': 120, 'expiresInSeconds': 600, 'startAt': start})
    live = api.ok('POST', '/live', {'areaId': 'tinh-thu', 'title': 'Tỉnh phát trực tiếp', 'priority': 170})
    relay = api.ok('POST', '/relay-schedules', {
        'areaId': 'tinh-thu', 'title': 'Tiếp sóng của tỉnh', 'relayUrl': RELAY_URL[0], 'recurrence': 'once', 'days': [],
        'at': '04:30:00', 'from': tomorrow, 'until': None, 'durationSeconds': 600, 'priority': 20})
    return {
        f'#schedule-list tr[data-id="{entry["id"]}"] [data-action=delete]': ('schedules', f'/schedules/{entry["id"]}'),
        f'#announce-list tr[data-id="{announcement["id"]}"] [data-action=stop]': ('announcements', None),
        f'#live-list tr[data-id="{live["id"]}"] [data-action=stop]': ('live', f'/live/{live["id"]}'),
        f'#relay-list tr[data-id="{relay["id"]}"] [data-action=delete]': ('schedules', f'/relay-schedules/{relay["id"]}'),
    }, announcement['id']


RELAY_URL = ['']  # the test's upstream, set by role_sweep


def role_sweep(ui, api, check, sha, upstream, password, admin_password):
    """Every page, each role, at 390 px (see the module's docstring)."""
    RELAY_URL[0] = upstream
    api.ok('POST', '/users', {'username': 'dieuhanh-huyen', 'password': password, 'role': 'operator', 'areaId': 'huyen-thu'})
    api.ok('POST', '/users', {'username': 'phatthanh-xa', 'password': password, 'role': 'broadcaster', 'areaId': 'xa-tan-lap'})
    above, announcement = make_above(api, sha)
    drafts = {b['sha256'] for b in api.ok('GET', '/bulletins?state=draft')['items']}
    users = [('admin', admin_password), ('dieuhanh-huyen', password), ('phatthanh-xa', password), ('kythuat', password)]
    d = ui.d
    # The login page, too, at a phone's width.
    ui.open()
    d.set_window_size(NARROW, 900)
    try:
        ui.one('#login-form')
        audit_page(ui, check, 'login')
        for username, secret in users:
            ui.login(username, secret)
            me = d.execute_script('return fetch("/api/v1/me", {headers: {Authorization: "Bearer " + sessionStorage.getItem("loa.token")}})'
                                  '.then((r) => r.json())')
            role, actions = me['role'], set(me['actions'])
            pages = d.execute_script('return [...document.querySelectorAll("#nav a")].filter((a) => !a.hidden).map((a) => a.dataset.page)')
            administers = bool(actions & {'manageUsers', 'manageAreas', 'manageGateways', 'readAudit'})
            check(('admin' in pages) == administers, f'{role}: the administration tab shown {("admin" in pages)}, administers {administers}')
            for page in pages:
                visit(ui, page)
                if page == 'gateways':
                    ui.click('#gateway-list tr[data-id="xa-tan-lap-01"]')
                    ui.one('#gateway-detail[data-id="xa-tan-lap-01"]', f'{role}: the gateway detail')
                if page == 'inbox' and ui.css('#inbox-list button.inbox-open'):
                    ui.click('#inbox-list button.inbox-open')
                    ui.one('#inbox-item', f'{role}: an inbox item')
                audit_page(ui, check, f'{role} {page}')
                for action, selectors in NEEDS.items():
                    if action in actions:
                        continue
                    shown = [s for s in selectors if ui.css(s)]
                    check(not shown, f'{role} on {page} may not {action} but sees {shown}')
                # A broadcaster's draft is not scheduled while approval is required (GET /me's
                # schedulesDrafts): no draft offered to schedule.
                if not me['schedulesDrafts'] and page in ('bulletins', 'schedules', 'calendar'):
                    offered = d.execute_script(
                        'return [...document.querySelectorAll(\'#bulletin-list tr[data-state="draft"] [data-action=schedule],'
                        ' #schedule-bulletin option\')].map((e) => (e.tagName === "OPTION" ? e.value : e.closest("tr").dataset.sha))')
                    check(not set(offered) & drafts, f'{role} on {page} is offered drafts to schedule: {set(offered) & drafts}')
                # The province's things, here for a user below the province: seen, not changed.
                for selector, (where, _) in above.items():
                    if where != page:
                        continue
                    row = selector.rsplit(' ', 1)[0]
                    ui.one(row, f'{role}: the row {row} of the province')
                    if me.get('areaId') in (None, 'tinh-thu'):
                        check(ui.css(selector), f'{role} of {me.get("areaId")} lacks {selector} (the check itself is wrong)')
                    else:
                        check(not ui.css(selector), f'{role} of {me["areaId"]} is offered {selector}, which the API refuses')
            ui.click('#logout')
            ui.one('#login-form')
    finally:
        d.set_window_size(1440, 1000)
    for _, (_, path) in above.items():
        if path:
            api.call('DELETE', path)
    api.call('POST', f'/announcements/{announcement}/stop')


def tab_to(ui, check, selector, what, limit=200):
    """Presses Tab until `selector` has the focus (failing past `limit` presses); the focus must show."""
    d = ui.d
    for _ in range(limit):
        if d.execute_script('const a = document.activeElement; return Boolean(a && a.matches(arguments[0]));', selector):
            outline = d.execute_script('const s = getComputedStyle(document.activeElement);'
                                       'return [s.outlineStyle, s.outlineWidth, document.activeElement.matches(":focus-visible")];')
            check(outline[0] != 'none' and outline[1] != '0px' and outline[2], f'{what} has the focus but does not show it: {outline}')
            return d.switch_to.active_element
        ActionChains(d).send_keys(Keys.TAB).perform()
    check(False, f'{what} ({selector}) is not reached by Tab')


def keys(ui, *sequence):
    ActionChains(ui.d).send_keys(*sequence).perform()


def keyboard_flow(ui, api, check, sha, password):
    """An operator sends an announcement to one gateway and stops it with the keyboard alone,
    then opens a gateway's detail from its row and closes it with Escape."""
    d = ui.d
    ui.open()
    ui.login('dieuhanh-huyen', password)
    d.execute_script('window.confirm = () => true; document.activeElement.blur();')
    tab_to(ui, check, '#nav a[data-page="announcements"]', 'the announcements tab')
    keys(ui, Keys.ENTER)
    ui.wait('the announcements page', lambda: d.execute_script('return document.getElementById("page").dataset.page') == 'announcements')
    tab_to(ui, check, '#announce-bulletin', 'the bulletin choice')
    for _ in range(20):
        if d.execute_script('return document.getElementById("announce-bulletin").value') == sha:
            break
        keys(ui, Keys.ARROW_DOWN)
    check(d.execute_script('return document.getElementById("announce-bulletin").value') == sha, 'the bulletin is not chosen by the arrow keys')
    tab_to(ui, check, '#announce-targets input[value="xa-tan-lap-02"]', 'the box of gateway xa-tan-lap-02')
    keys(ui, Keys.SPACE)
    check(d.execute_script('return document.querySelector(\'#announce-targets input[value="xa-tan-lap-02"]\').checked'),
          'Space does not tick the gateway')
    tab_to(ui, check, '#announce-expires', 'the expiry')
    keys(ui, Keys.CONTROL, 'a', Keys.NULL, '5')
    tab_to(ui, check, '#announce-submit', 'the send button')
    keys(ui, Keys.ENTER)
    ui.wait('the announcement sent by keyboard', lambda: ui.css('#announce-message .message.ok'))
    sent = api.ok('GET', '/announcements')['items'][0]
    check(sent['gateways'] == ['xa-tan-lap-02'] and sent['areas'] == [] and sent['bulletin'] == sha
          and sent['createdBy'] == 'dieuhanh-huyen', f'the announcement sent by keyboard: {sent}')
    check(d.execute_script('return [...document.querySelectorAll("#announce-message .message.ok")].length') == 1, 'no confirmation')
    tab_to(ui, check, f'#announce-list tr[data-id="{sent["id"]}"] button[data-action=stop]', 'its stop button')
    keys(ui, Keys.ENTER)
    ui.wait('the announcement stopped by keyboard', lambda: api.ok('GET', f'/announcements?limit=1')['items'][0].get('stoppedAt'))

    # The gateways table: a row opens its detail with Enter or Space, the focus goes into the
    # panel, Escape closes it and the focus comes back to the row.
    d.execute_script('document.activeElement.blur(); window.scrollTo(0, 0);')
    tab_to(ui, check, '#nav a[data-page="gateways"]', 'the gateways tab')
    keys(ui, Keys.ENTER)
    ui.wait('the gateways page', lambda: d.execute_script('return document.getElementById("page").dataset.page') == 'gateways')
    row = '#gateway-list tr[data-id="xa-tan-lap-01"]'
    for key in (Keys.ENTER, Keys.SPACE):
        tab_to(ui, check, row, 'the gateway row')
        keys(ui, key)
        ui.one('#gateway-detail[data-id="xa-tan-lap-01"]', 'the detail opened by keyboard')
        ui.wait('the focus in the detail', lambda: d.execute_script(
            'return Boolean(document.activeElement.closest("#gateway-detail"))'))
        tab_to(ui, check, '#gateway-detail button[data-action=testTone]', 'the test tone button in the detail', limit=20)
        keys(ui, Keys.ESCAPE)
        ui.wait('the detail closed by Escape', lambda: not ui.css('#gateway-detail'))
        ui.wait('the focus back on the row', lambda: d.execute_script(
            'return document.activeElement.matches(arguments[0])', row))
    ui.click('#logout')
    ui.one('#login-form')


def pickers_at_scale(ui, api, check, sha, admin_password):
    """With the 10 000 gateways of the overview at scale (and the test's two), the pickers find
    and send to one past the 5 000 they used to load, and the schedule list names it."""
    d = ui.d
    fleet = api.ok('GET', '/fleet')['gateways']  # by id, as the gateway lists are
    total = len(fleet)
    seeded = [g for g in fleet if g['id'].startswith('gw-lon-')]
    far, far_name = seeded[-1]['id'], seeded[-1]['name']
    check(fleet.index(seeded[-1]) >= 5000, f'{far} is gateway {fleet.index(seeded[-1]) + 1} of {total}: not past the old cap')
    ui.open()
    ui.login('admin', admin_password)
    ui.page('announcements')
    ui.one('#announce-form')
    check(len(ui.css('#announce-targets input[name=announce-gateways]')) <= 50, 'the picker draws every gateway')
    # Its search box (shown past 8 gateways, so not in the role sweep) has a name too.
    unnamed = d.execute_script(UNNAMED_JS)['unnamed']
    check(not unnamed, f'announcements with {total} gateways: controls without a name: {unnamed}')
    count = ui.text('#announce-gateway-count')
    check(str(total) in count.replace('.', '').replace(' ', ''), f'the picker does not say how many there are: {count!r}')
    started = time.monotonic()
    ui.set_value('#announce-gateway-search', far_name)
    ui.wait(f'{far} found', lambda: ui.css(f'#announce-targets input[value="{far}"]'))
    print(f'pickers at scale: {total} gateways, found by name in {time.monotonic() - started:.2f} s')
    ui.click(f'#announce-targets input[value="{far}"]')
    ui.set_value('#announce-gateway-search', '')
    check(d.execute_script('return document.querySelector(`#announce-targets input[value="${arguments[0]}"]`).checked', far),
          'the chosen gateway is not kept in view once the search is cleared')
    d.execute_script('document.getElementById("announce-bulletin").value = arguments[0];', sha)
    ui.set_value('#announce-start', (local_now() + timedelta(hours=6)).strftime('%Y-%m-%dT%H:%M'))
    ui.click('#announce-submit')
    ui.wait('the announcement to the far gateway', lambda: ui.css('#announce-message .message.ok'))
    sent = api.ok('GET', '/announcements')['items'][0]
    check(sent['gateways'] == [far], f'the announcement went to {sent["gateways"]}')
    api.ok('POST', f'/announcements/{sent["id"]}/stop')

    # The schedule list names a gateway past the old cap (it showed the bare id).
    tomorrow = (local_now() + timedelta(days=1)).strftime('%Y-%m-%d')
    entry = api.ok('POST', '/schedules', {
        'bulletin': sha, 'areas': [], 'gateways': [far], 'recurrence': 'once', 'days': [], 'at': '04:20:00',
        'from': tomorrow, 'until': None, 'priority': 60, 'repeat': 1, 'onBusy': 'queue', 'onInterrupt': 'resume'})
    ui.page('schedules')
    row = f'#schedule-list tr[data-id="{entry["id"]}"]'
    ui.one(row, 'the schedule of the far gateway')
    listed = ui.text(row)
    check(far_name in listed, f'the schedule of {far} reads {listed!r}')
    ui.set_value('#schedule-gateway-search', far)
    ui.wait(f'{far} in the schedule picker', lambda: ui.css(f'#schedule-targets input[value="{far}"]'))
    api.ok('DELETE', f'/schedules/{entry["id"]}')

    # The play log's gateway filter: typed, suggested, and a name that is no gateway said so.
    ui.page('playlog')
    ui.set_value('#playlog-gateway', far_name)
    ui.wait('suggestions', lambda: d.execute_script(
        'return [...document.querySelectorAll("#playlog-gateway-options option")].some((o) => o.value.includes(arguments[0]))', far))
    ui.click('#playlog-filters button[type=submit]')
    ui.wait('the filtered play log', lambda: not ui.css('#page .message.error') and all(
        far_name in r.text for r in ui.css('#playlog-list tbody tr') if not r.find_elements('css selector', 'td.empty')))
    ui.set_value('#playlog-gateway', 'không có cụm loa này')
    ui.click('#playlog-filters button[type=submit]')
    ui.wait('an unknown gateway said so', lambda: 'Không tìm thấy cụm loa' in ui.text('#page .message.error'))
    ui.click('#logout')
    ui.one('#login-form')
