"""Writes tenant files for load, crash and benchmark runs: small, always-open businesses whose
booking flow makes real calls to every provider (CRM search and create, calendar slots and
booking, a Stripe deposit link, an SMS, a Slack post, a CRM note).

Usage: loadtenants.py FOLDER COUNT [--visit-minutes 60] [--limited N:RATE]
  tenants load-01 ... load-COUNT, API key "load-key", operator key "load-operator-key";
  --visit-minutes sets the visit length (shorter visits: more slots before calendars fill);
  --limited gives tenant N a limit of RATE requests/s (burst RATE), for fairness runs.
"""
import argparse, hashlib, os

API_KEY = "load-key"
OPERATOR_KEY = "load-operator-key"

TEMPLATE = """\
tenant:
  id: {id}
  name: Load Test {n}
  phone: "+1555010{n:04d}"
  time_zone: UTC
  currency: USD
  hours:
    monday: 00:00-24:00
    tuesday: 00:00-24:00
    wednesday: 00:00-24:00
    thursday: 00:00-24:00
    friday: 00:00-24:00
    saturday: 00:00-24:00
    sunday: 00:00-24:00

access:
  api_keys:
    - name: load
      hash: sha256:{api_hash}
  operator_keys:
    - name: operator
      hash: sha256:{operator_hash}
  limits:
    requests_per_second: {rate}
    burst: {rate}
    operator_requests_per_second: 100000
    operator_burst: 100000
    max_backlog: 100000
    concurrent_executions: 512
    max_body_bytes: 65536

channels:
  sms:
    number: "+1555020{n:04d}"
  webhooks:
    stripe:
      secret: ${{LOAD_STRIPE_WEBHOOK_SECRET:-whsec_load_{n}}}

integrations:
  crm:
    provider: hubspot
    base_url: ${{SWITCHBOARD_SANDBOX_URL}}/hubspot
    credentials: {{ access_token: "${{LOAD_HUBSPOT_TOKEN:-pat-load-{n}}}" }}
    rate_limit: {{ requests_per_second: 100000, burst: 100000 }}
  payments:
    provider: stripe
    base_url: ${{SWITCHBOARD_SANDBOX_URL}}/stripe
    credentials: {{ secret_key: "${{LOAD_STRIPE_KEY:-sk_test_load_{n}}}" }}
    rate_limit: {{ requests_per_second: 100000, burst: 100000 }}
  scheduling:
    provider: calcom
    base_url: ${{SWITCHBOARD_SANDBOX_URL}}/calcom
    credentials: {{ api_key: "${{LOAD_CALCOM_KEY:-cal_load_{n}}}" }}
    rate_limit: {{ requests_per_second: 100000, burst: 100000 }}
    event_types:
      visit: {event_type}
  messaging:
    provider: twilio
    base_url: ${{SWITCHBOARD_SANDBOX_URL}}/twilio
    credentials: {{ account_sid: AC{sid}, auth_token: "${{LOAD_TWILIO_TOKEN:-load-token-{n}}}" }}
    rate_limit: {{ requests_per_second: 100000, burst: 100000 }}
  operator:
    provider: slack
    base_url: ${{SWITCHBOARD_SANDBOX_URL}}/slack
    credentials: {{ webhook_path: "${{LOAD_SLACK_PATH:-/services/TLOAD/B{n:04d}/load}}" }}
    rate_limit: {{ requests_per_second: 100000, burst: 100000 }}

services:
  - id: visit
    name: Home visit
    match:
      keywords: [visit, repair, fix]
    duration: {visit}m
    price: 100.00
    deposit: 20%

deadlines:
  interaction: 5m
  step: 30s

templates:
  confirmed:
    audience: customer
    text: "Booked: {{{{service.name}}}} at {{{{slot.start | datetime}}}}. Deposit {{{{payment.amount | money}}}}: {{{{payment.checkout_url}}}}"
  job:
    audience: operator
    text: "New job {{{{booking.id}}}} for {{{{from.phone}}}} at {{{{slot.start | datetime}}}}"
  note:
    audience: crm
    text: "Booked {{{{booking.id}}}}"
  sorry:
    audience: customer
    text: "Sorry, we could not book this. We will call you."
  sorry_ops:
    audience: operator
    text: "Could not book for {{{{from.phone}}}}: interaction {{{{interaction.id}}}}"

flows:
  booking:
    serves:
      channels: [api]
    start: identify
    states:
      identify:
        agent: intent.classify
        on: {{ ok: customer, not_found: sorry }}
      customer:
        agent: customer.find_or_create
        on: {{ ok: slot, error: sorry }}
      slot:
        agent: decide.slot
        params: {{ search_days: 14, alternatives: 1 }}
        on: {{ ok: book, conflict: sorry, not_found: sorry }}
      book:
        agent: scheduling.book
        on: {{ ok: price, conflict: slot, error: sorry }}
        compensate:
          - agent: scheduling.cancel
      price:
        agent: decide.price
        next: deposit
      deposit:
        agent: payments.deposit_link
        on: {{ ok: confirm, error: sorry }}
      confirm:
        agent: notify.customer
        params: {{ template: confirmed }}
        next: dispatch
      dispatch:
        agent: notify.operator
        params: {{ template: job }}
        next: note
      note:
        agent: crm.note
        params: {{ template: note }}
        next: done
      done:
        final: completed
      sorry:
        agent: notify.customer
        params: {{ template: sorry }}
        next: sorry_ops
      sorry_ops:
        agent: notify.operator
        params: {{ template: sorry_ops }}
        next: failed
      failed:
        final: failed
        reason: could not book
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("count", type=int)
    parser.add_argument("--visit-minutes", type=int, default=60)
    parser.add_argument("--limited", help="N:RATE")
    args = parser.parse_args()
    limited, limited_rate = (int(part) for part in args.limited.split(":")) if args.limited else (0, 0)
    os.makedirs(args.folder, exist_ok=True)
    api_hash = hashlib.sha256(API_KEY.encode()).hexdigest()
    operator_hash = hashlib.sha256(OPERATOR_KEY.encode()).hexdigest()
    for n in range(1, args.count + 1):
        text = TEMPLATE.format(id=f"load-{n:02d}", n=n, api_hash=api_hash, operator_hash=operator_hash,
                               event_type=9000 + n, sid=f"{n:032x}", visit=args.visit_minutes,
                               rate=limited_rate if n == limited else 100000)
        with open(os.path.join(args.folder, f"load-{n:02d}.yaml"), "w") as f:
            f.write(text)


main()
