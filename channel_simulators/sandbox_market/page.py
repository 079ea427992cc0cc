"""The human view of the market (``GET /``): what a demo audience looks at.

Plain server-rendered HTML, refreshed every 5 seconds; every value that came
from outside is escaped, since menus and comments are free text.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from ..kit.http import Request, Response
from . import availability
from .money import format_cents

if TYPE_CHECKING:
    from .app import Market

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;background:#fafafa}
h1{margin:0 0 .2rem}h2{border-bottom:2px solid #c33;padding-bottom:.2rem;margin-top:2rem}
section.store{background:#fff;border:1px solid #ddd;border-radius:8px;padding:0 1rem 1rem;margin-bottom:1.5rem}
table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;
text-align:left;vertical-align:top}th{background:#f0f0f0}.muted{color:#888}.paused{color:#c33;font-weight:bold}
.open{color:#282;font-weight:bold}.state{font-family:monospace}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}
.grid>div{flex:1 1 28rem}
"""


def e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f'<p class="muted">{e(empty)}</p>'
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _menu(menu: dict[str, Any] | None) -> str:
    if not menu or not menu.get("menus"):
        return '<p class="muted">No menu published yet.</p>'
    cur = menu.get("currency", "")
    out = []
    for m in menu["menus"]:
        price = f" — {e(format_cents(m['set_price_cents'], cur))}" if m.get("set_price_cents") is not None else ""
        out.append(f"<h4>{e(m['title'])} <span class='muted'>({e(m['kind'])})</span>{price}</h4>")
        for section in m["sections"]:
            rows = []
            for item in section["items"]:
                sizes = ", ".join(f"{e(s['title'])} {e(format_cents(s['price_cents'], cur))}"
                                  + ("" if s.get("available", True) else " (off)") for s in item["sizes"])
                groups = "; ".join(f"{e(g['title'])}: " + ", ".join(e(x["title"]) for x in g["extras"])
                                   for g in item["extra_groups"])
                rows.append([e(item["plu"]), e(item["title"]), e(format_cents(item["price_cents"], cur)),
                             e(item["vat_pct"]) + "%", "yes" if item.get("available", True) else "<b>no</b>",
                             sizes, groups])
            out.append(f"<b>{e(section['title'])}</b>")
            out.append(_table(["PLU", "Item", "Price", "VAT", "Available", "Sizes", "Extras"], rows, "empty"))
    return "".join(out)


def _store(market: Market, store: dict[str, Any]) -> str:
    ref = store["store_ref"]
    market.settle_uploads(ref)
    db = market.db
    status = availability.status(db.get_pause(ref))
    state = (f'<span class="paused">PAUSED</span> until {e(status["until"] or "further notice")} '
             f'({e(status["reason"] or "no reason")})' if status["paused"] else '<span class="open">OPEN</span>')
    hours = db.get_hours(ref)
    hours_html = '<p class="muted">No opening hours received.</p>'
    if hours:
        rows = [[e(w["day"]), e(w["opens"]), e(w["closes"])] for w in hours["weekly"]]
        hours_html = f"<p>Time zone: {e(hours['timezone'])}</p>" + _table(["Day", "Opens", "Closes"], rows, "closed")
        if hours["exceptions"]:
            hours_html += _table(["From", "To", "Closed"], [[e(x["from"]), e(x["to"]), e(x["closed"])]
                                                            for x in hours["exceptions"]], "")
    ticket_rows = [[e(t["ticket_id"]), e(t["pickup_code"]), e(t["kind"]), f'<span class="state">{e(t["state"])}</span>',
                    e(t["customer"].get("display_name") if isinstance(t["customer"], dict) else ""),
                    e(format_cents(t["totals"].get("grand_total_cents"), t["totals"].get("currency", ""))
                      if t["basket"] else f"{t['covers']} covers at {t['booking_at']}"),
                    e(changed)] for t, changed in db.recent_tickets(ref, 15)]
    log_rows = [[e(x["at"]), e(x["kind"]), e(x["ticket_id"] or ""), e(_summary(x))]
                for x in reversed(db.log_entries(ref, None, limit=25))]
    hook_rows = [[e(d["created_at"]), e(d["event"]), e(d["ticket_id"]), e(d["status"]),
                  e(", ".join(str(a["status_code"] or a["error"]) for a in d["attempts"]))]
                 for d in reversed(db.deliveries(ref, limit=15))]
    return f"""<section class="store"><h2>{e(ref)}</h2><p>{state} · currency {e(store['currency'])}
 · webhooks to <code>{e(store['webhook_url'] or 'nowhere')}</code>{' (thin)' if store['thin_webhooks'] else ''}</p>
<div class="grid"><div><h3>Recent tickets</h3>{_table(["Ticket", "Code", "Kind", "State", "Customer", "Total",
                                                         "Changed"], ticket_rows, "No tickets yet.")}
<h3>Received from the store</h3>{_table(["At", "Kind", "Ticket", "What"], log_rows, "Nothing received yet.")}
<h3>Webhook deliveries</h3>{_table(["Created", "Event", "Ticket", "Status", "Attempts"], hook_rows,
                                   "No webhooks sent yet.")}</div>
<div><h3>Opening hours</h3>{hours_html}<h3>Menu</h3>{_menu(db.get_menu(ref))}</div></div></section>"""


def _summary(entry: dict[str, Any]) -> str:
    p = entry["payload"]
    kind = entry["kind"]
    if kind == "state":
        extra = f" ({p['reason']})" if p.get("reason") else ""
        return f"{p.get('previous_state')} → {p.get('state')}{extra}"
    if kind == "courier_position":
        return f"lat {p.get('lat')}, lng {p.get('lng')} at {p.get('recorded_at')}"
    if kind == "menu":
        count = sum(len(s["items"]) for m in p["menu"]["menus"] for s in m["sections"])
        return f"menu upload {p.get('upload_id')} with {count} items"
    if kind == "menu_item":
        return ", ".join(f"{k}={v}" for k, v in p.items())
    if kind == "opening_hours":
        return f"{len(p.get('weekly', []))} weekly ranges, {len(p.get('exceptions', []))} exceptions"
    if kind == "pause":
        return f"until {p.get('until') or 'further notice'}: {p.get('reason') or ''}"
    return kind


def index(market: Market, req: Request) -> Response:
    stores = market.db.list_stores()
    wanted = req.query.get("store_ref")
    if wanted:
        stores = [s for s in stores if s["store_ref"] == wanted]
    body = "".join(_store(market, s) for s in stores) or '<p class="muted">No stores registered yet.</p>'
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Sandbox Market</title><style>{STYLE}</style></head><body><h1>Sandbox Market</h1>
<p class="muted">A fake marketplace for demos and end-to-end tests. Refreshes every 5 seconds.</p>
{body}</body></html>"""
    return Response(200, html, content_type="text/html; charset=utf-8")
