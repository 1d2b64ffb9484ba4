"""Issue 15, part 8: the console as a new user meets it.

`pickers_at_scale` finds, picks and names a gateway past the 5 000 the pickers used to load.

The helpers of test_console.py (check, the Api client, the Console driver) are passed in: this
module is imported by it, not the other way round.
"""
import time
from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))

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
  return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
    .filter((e) => !nameOf(e))
    .map((e) => `${e.tagName.toLowerCase()}#${e.id}[name=${e.getAttribute('name') || ''}][type=${e.getAttribute('type') || ''}]`);
'''



def local_now():
    return datetime.now(VIETNAM)



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
    unnamed = d.execute_script(UNNAMED_JS)
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
