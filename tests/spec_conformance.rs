//! Black-box conformance of `score --json` to SPEC §1.1 (rules and definitions) and §3 (schema).
//!
//! Written from the spec alone, before reading the engine: each test builds a small portfolio in
//! RON, runs the real binary as `score FILE --json --as-of DATE` and asserts what the spec says,
//! just below / at / just above a boundary wherever the spec has one. Where one run can hold a
//! whole boundary, the cases are separate alliances of one portfolio (ids say which case).

use std::io::Write;

use assert_cmd::Command;
use chrono::{Days, NaiveDate};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

/// Runs `score FILE --json --as-of AS_OF` on `ron` and parses the JSON it prints.
fn score(ron: &str, as_of: &str) -> Value {
    score_args(ron, &["--as-of", as_of])
}

fn score_args(ron: &str, extra: &[&str]) -> Value {
    let mut file = tempfile::Builder::new()
        .suffix(".ron")
        .tempfile()
        .expect("a temp file");
    file.write_all(ron.as_bytes()).expect("write the portfolio");
    file.flush().expect("flush the portfolio");
    let path = file.path().to_str().expect("a UTF-8 temp path").to_owned();
    let mut args = vec!["score", path.as_str(), "--json"];
    args.extend_from_slice(extra);
    let out = Command::new(assert_cmd::cargo::cargo_bin!("alliance-desk"))
        .args(&args)
        .output()
        .expect("run alliance-desk");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "score failed ({:?})\nstdout: {stdout}\nstderr: {stderr}\ninput:\n{ron}",
        out.status
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("score --json is not JSON: {e}\n{stdout}"))
}

// ---------------------------------------------------------------------------------------------
// Building portfolios
// ---------------------------------------------------------------------------------------------

fn portfolio(brand_revenue: &str, alliances: &[String]) -> String {
    portfolio_with(brand_revenue, alliances, "")
}

fn portfolio_with(brand_revenue: &str, alliances: &[String], tail: &str) -> String {
    format!(
        "Portfolio(\n    version: 1,\n    brand: \"Test Brand\",\n    revenue: {{ {brand_revenue} }},\n    alliances: [\n{}\n    ],\n{tail}\n)\n",
        alliances.join(",\n")
    )
}

/// An alliance; `extra` holds further fields, each ending in a comma.
fn alliance(id: &str, status: &str, started: &str, extra: &str) -> String {
    format!(
        "        Alliance(id: \"{id}\", partner: \"Partner {id}\", kind: Wholesale, status: {status}, started: \"{started}\", {extra})"
    )
}

fn active(id: &str, started: &str, extra: &str) -> String {
    alliance(id, "Active", started, extra)
}

/// `charter: Some(Charter(...)),` signed on `signed` (if any), with further charter fields.
fn charter(signed: Option<&str>, fields: &str) -> String {
    let signed = signed.map_or_else(|| "None".to_owned(), |s| format!("Some(\"{s}\")"));
    format!("charter: Some(Charter({fields} signed: {signed})),")
}

/// A win condition; `None` leaves target or `by` out.
fn win(target: Option<f64>, by: Option<&str>, actuals: &str) -> String {
    let target = target.map_or_else(|| "None".to_owned(), |t| format!("Some({t:?})"));
    let by = by.map_or_else(|| "None".to_owned(), |b| format!("Some(\"{b}\")"));
    format!(
        "WinCondition(metric: \"Revenue\", target: {target}, unit: \"USD\", by: {by}, actuals: {{ {actuals} }})"
    )
}

/// A health score dated `date` whose four dimensions (each 1–5) add up to `total`.
fn health(date: &str, total: u8) -> String {
    assert!((4..=20).contains(&total));
    let base = total / 4;
    let rem = total % 4;
    let dim = |i: u8| base + u8::from(i < rem);
    format!(
        "HealthScore(date: \"{date}\", strategic_alignment: {}, execution_reliability: {}, revenue_contribution: {}, relationship_health: {})",
        dim(0),
        dim(1),
        dim(2),
        dim(3)
    )
}

fn mbr(date: &str, sent: Option<&str>) -> String {
    let sent = sent.map_or_else(|| "None".to_owned(), |s| format!("Some(\"{s}\")"));
    format!("Monthly(date: \"{date}\", summary_sent: {sent})")
}

fn sas(a: (u8, u8, u8)) -> String {
    format!(
        "Sas(strategy: {}, enter_again: {}, trust: {})",
        a.0, a.1, a.2
    )
}

fn qsr(date: &str, us: (u8, u8, u8), partner: Option<(u8, u8, u8)>) -> String {
    let partner = partner.map_or_else(|| "None".to_owned(), |p| format!("Some({})", sas(p)));
    format!(
        "Quarterly(date: \"{date}\", sas_us: {}, sas_partner: {partner})",
        sas(us)
    )
}

fn reviews(list: &[String]) -> String {
    format!("reviews: [{}],", list.join(", "))
}

/// `commitments: [...]` from `(party, due, done)`, ids 1, 2, …
fn commitments(list: &[(&str, &str, Option<&str>)]) -> String {
    let items: Vec<String> = list
        .iter()
        .enumerate()
        .map(|(i, (party, due, done))| {
            let done = done.map_or_else(|| "None".to_owned(), |d| format!("Some(\"{d}\")"));
            format!(
                "Commitment(id: {}, party: {party}, action: \"act\", due: \"{due}\", done: {done})",
                i + 1
            )
        })
        .collect();
    format!("commitments: [{}],", items.join(", "))
}

/// `n` commitments of `party` due on `due`, `done` of which are done on `done_on`.
fn batch<'a>(
    party: &'a str,
    due: &'a str,
    n: usize,
    done: usize,
    done_on: &'a str,
) -> Vec<(&'a str, &'a str, Option<&'a str>)> {
    (0..n)
        .map(|i| (party, due, (i < done).then_some(done_on)))
        .collect()
}

fn escalation(raised: &str, resolved: Option<&str>) -> String {
    let resolved = resolved.map_or_else(|| "None".to_owned(), |r| format!("Some(\"{r}\")"));
    format!("EscalationItem(raised: \"{raised}\", issue: \"issue\", resolved: {resolved})")
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

fn minus(s: &str, days: u64) -> String {
    (date(s) - Days::new(days)).to_string()
}

fn plus(s: &str, days: u64) -> String {
    (date(s) + Days::new(days)).to_string()
}

// ---------------------------------------------------------------------------------------------
// Reading the JSON
// ---------------------------------------------------------------------------------------------

const SEVERITY: &[(&str, &str)] = &[
    ("wish", "warn"),
    ("no_charter", "warn"),
    ("health_conversation", "warn"),
    ("audit_dead", "critical"),
    ("audit_at_risk", "warn"),
    ("arcr_low", "warn"),
    ("arcr_declining", "critical"),
    ("cfr_red", "warn"),
    ("cfr_critical", "critical"),
    ("sas_exit", "critical"),
    ("alignment_exit", "critical"),
    ("mbr_overdue", "warn"),
    ("qsr_overdue", "warn"),
    ("summary_late", "warn"),
    ("escalation_overdue", "critical"),
];

fn al<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["alliances"]
        .as_array()
        .expect("alliances is an array")
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no alliance {id} in {v:#}"))
}

/// The flag codes of alliance `id`, checking each flag's severity, message and uniqueness.
fn codes(v: &Value, id: &str) -> Vec<String> {
    let flags = al(v, id)["flags"].as_array().expect("flags is an array");
    let mut out = Vec::new();
    for f in flags {
        let code = f["code"].as_str().expect("a flag code").to_owned();
        let sev = SEVERITY
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap_or_else(|| panic!("unknown flag code {code}"))
            .1;
        assert_eq!(f["severity"], sev, "severity of {code} on {id}");
        assert!(
            f["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{code} on {id} has a message"
        );
        assert!(
            !out.contains(&code),
            "{code} listed twice on {id}: {flags:?}"
        );
        out.push(code);
    }
    out
}

#[track_caller]
fn assert_flag(v: &Value, id: &str, code: &str, expected: bool) {
    let got = codes(v, id);
    assert_eq!(
        got.iter().any(|c| c == code),
        expected,
        "{id}: expected {code} {}; flags {got:?}\n{:#}",
        if expected { "raised" } else { "not raised" },
        al(v, id)
    );
}

#[track_caller]
fn assert_num(got: &Value, expected: f64) {
    let n = got
        .as_f64()
        .unwrap_or_else(|| panic!("expected {expected}, got {got}"));
    assert!((n - expected).abs() < 1e-9, "expected {expected}, got {n}");
}

/// `None` expects `null`; a parent that is itself `null` counts as `null` too.
#[track_caller]
fn assert_opt(v: &Value, pointer: &str, expected: Option<f64>) {
    let got = resolve(v, pointer);
    match expected {
        Some(e) => assert_num(&got, e),
        None => assert!(got.is_null(), "{pointer}: expected null, got {got}\n{v:#}"),
    }
}

fn resolve(v: &Value, pointer: &str) -> Value {
    let mut cur = v;
    for part in pointer.split('/').skip(1) {
        if cur.is_null() {
            return Value::Null;
        }
        cur = match cur {
            Value::Array(a) => &a[part.parse::<usize>().expect("an index")],
            _ => cur
                .get(part)
                .unwrap_or_else(|| panic!("no key {part} in {cur}")),
        };
    }
    cur.clone()
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("expected an object, got {v}"))
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

#[track_caller]
fn assert_keys(v: &Value, expected: &[&str]) {
    let mut e: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    e.sort();
    assert_eq!(keys(v), e, "keys of {v}");
}

/// A win condition with a `direction`.
fn win_dir(direction: &str, target: f64, by: &str, actuals: &str) -> String {
    format!(
        "WinCondition(metric: \"Cost per order\", target: Some({target:?}), unit: \"USD\", by: Some(\"{by}\"), direction: {direction}, actuals: {{ {actuals} }})"
    )
}

fn win_statuses(v: &Value, id: &str) -> Vec<String> {
    al(v, id)["win_conditions"]
        .as_array()
        .expect("win_conditions is an array")
        .iter()
        .map(|w| w["status"].as_str().expect("a status").to_owned())
        .collect()
}

// =============================================================================================
// §3 schema
// =============================================================================================

#[test]
fn schema_minimal_alliance_has_every_key_and_nulls() {
    let p = portfolio("", &[active("x", "2026-01-01", "")]);
    let v = score(&p, "2026-03-01");
    assert_keys(
        &v,
        // `outcomes`: issue 17 (documented in the README).
        &[
            "as_of",
            "brand",
            "currency",
            "portfolio",
            "alliances",
            "outcomes",
        ],
    );
    assert_eq!(v["as_of"], "2026-03-01");
    assert_eq!(v["brand"], "Test Brand");
    assert_eq!(v["currency"], "USD");
    let p = &v["portfolio"];
    assert_keys(
        p,
        &[
            "latest_month",
            "alliance_share",
            "active",
            "goal_attainment",
            "flag_counts",
        ],
    );
    assert!(p["latest_month"].is_null());
    assert!(p["alliance_share"].is_null(), "no revenue → null, not 0");
    assert_eq!(p["active"], 1);
    assert!(p["goal_attainment"].is_null());
    assert_keys(&p["flag_counts"], &["warn", "critical"]);

    let a = al(&v, "x");
    assert_keys(
        a,
        &[
            "id",
            "partner",
            "kind",
            "status",
            "health",
            "audit",
            "arcr",
            "cfr",
            "execution_speed_days",
            "sas",
            "win_conditions",
            "next_reviews",
            "flags",
        ],
    );
    assert_eq!(a["partner"], "Partner x");
    assert_eq!(a["kind"], "Wholesale");
    assert_eq!(a["status"], "Active");
    assert!(a["health"].is_null());
    assert_keys(&a["audit"], &["answers_yes", "state"]);
    assert_keys(&a["arcr"], &["latest", "month", "series"]);
    assert!(a["arcr"]["latest"].is_null());
    assert_eq!(a["arcr"]["series"], serde_json::json!([]));
    assert_keys(&a["cfr"], &["trailing_30d", "monthly"]);
    assert_opt(a, "/cfr/trailing_30d/us", None);
    assert_opt(a, "/cfr/trailing_30d/partner", None);
    assert_opt(a, "/cfr/trailing_30d/all", None);
    assert_eq!(a["cfr"]["monthly"], serde_json::json!([]));
    assert!(a["execution_speed_days"].is_null());
    assert!(a["sas"].is_null());
    assert_eq!(a["win_conditions"], serde_json::json!([]));
    assert!(a["next_reviews"].is_null());
}

#[test]
fn schema_full_alliance_objects_have_exact_keys() {
    let extra = format!(
        "{} health: [{}], revenue: {{ \"2026-02\": 1000.0 }}, {} {} escalations: [{}],",
        charter(
            Some("2026-01-05"),
            &format!(
                "win_conditions: [{}], cadence: Cadence(monthly_review_day: Some(15), quarterly_review_months: [1, 4, 7, 10]), review_date: Some(\"2026-04-01\"),",
                win(Some(10.0), Some("2026-06-30"), "\"2026-02\": 5.0")
            )
        ),
        health("2026-02-01", 15),
        commitments(&[
            ("Us", "2026-02-20", Some("2026-02-19")),
            ("Partner", "2026-02-21", None)
        ]),
        reviews(&[
            mbr("2026-02-15", Some("2026-02-15")),
            qsr("2026-02-16", (7, 6, 8), Some((6, 5, 7)))
        ]),
        escalation("2026-01-10", None),
    );
    let p = portfolio(
        "\"2026-01\": 100000.0, \"2026-02\": 100000.0",
        &[active("x", "2026-01-01", &extra)],
    );
    let v = score(&p, "2026-03-01");
    let a = al(&v, "x");
    assert_keys(&a["health"], &["date", "total"]);
    assert_eq!(a["health"]["date"], "2026-02-01");
    assert_eq!(a["health"]["total"], 15);
    assert_keys(&a["arcr"]["series"][0], &["month", "value"]);
    assert_keys(&a["cfr"]["trailing_30d"], &["us", "partner", "all"]);
    assert_keys(&a["cfr"]["monthly"][0], &["month", "us", "partner", "all"]);
    assert_keys(&a["sas"], &["date", "us", "partner", "combined"]);
    assert_keys(
        &a["win_conditions"][0],
        &[
            "metric",
            "target",
            "unit",
            "by",
            "direction",
            "latest_actual",
            "status",
        ],
    );
    assert_eq!(a["win_conditions"][0]["direction"], "AtLeast");
    assert_eq!(a["win_conditions"][0]["metric"], "Revenue");
    assert_eq!(a["win_conditions"][0]["unit"], "USD");
    assert_eq!(a["win_conditions"][0]["by"], "2026-06-30");
    assert_num(&a["win_conditions"][0]["target"], 10.0);
    assert_keys(&a["next_reviews"], &["monthly", "quarterly", "ninety_day"]);
    let f = &a["flags"][0];
    assert_keys(f, &["code", "severity", "message"]);
}

#[test]
fn file_as_of_is_used_without_the_option_and_the_option_overrides_it() {
    let p = portfolio_with(
        "",
        &[active("x", "2026-01-01", "")],
        "as_of: Some(\"2026-02-10\"),",
    );
    assert_eq!(score_args(&p, &[])["as_of"], "2026-02-10");
    assert_eq!(score(&p, "2026-03-01")["as_of"], "2026-03-01");
}

// =============================================================================================
// Flags
// =============================================================================================

// ---- wish -------------------------------------------------------------------------------------

#[test]
fn wish_when_target_or_by_is_missing_listed_once() {
    let c = |wins: &[String]| {
        charter(
            Some("2026-01-02"),
            &format!("win_conditions: [{}],", wins.join(", ")),
        )
    };
    let p = portfolio(
        "",
        &[
            active(
                "complete",
                "2026-01-01",
                &c(&[win(Some(5.0), Some("2026-12-31"), "")]),
            ),
            active(
                "no-target",
                "2026-01-01",
                &c(&[win(None, Some("2026-12-31"), "")]),
            ),
            active("no-by", "2026-01-01", &c(&[win(Some(5.0), None, "")])),
            active(
                "two-wishes",
                "2026-01-01",
                &c(&[win(None, None, ""), win(Some(1.0), None, "")]),
            ),
        ],
    );
    let v = score(&p, "2026-03-01");
    assert_flag(&v, "complete", "wish", false);
    assert_flag(&v, "no-target", "wish", true);
    assert_flag(&v, "no-by", "wish", true);
    assert_flag(&v, "two-wishes", "wish", true); // once: `codes` checks uniqueness
}

// ---- no_charter -------------------------------------------------------------------------------

#[test]
fn no_charter_without_charter_unsigned_or_signed_later() {
    let as_of = "2026-03-01";
    let p = portfolio(
        "",
        &[
            active("none", "2026-01-01", ""),
            active("unsigned", "2026-01-01", &charter(None, "")),
            active("signed-on-as-of", "2026-01-01", &charter(Some(as_of), "")),
            active(
                "signed-after",
                "2026-01-01",
                &charter(Some(&plus(as_of, 1)), ""),
            ),
            alliance("winding", "WindingDown", "2026-01-01", ""),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "none", "no_charter", true);
    assert_flag(&v, "unsigned", "no_charter", true);
    assert_flag(&v, "signed-on-as-of", "no_charter", false);
    assert_flag(&v, "signed-after", "no_charter", true);
    assert_flag(&v, "winding", "no_charter", false);
}

// ---- health_conversation ---------------------------------------------------------------------

#[test]
fn health_conversation_below_12_of_20() {
    let h = |t| format!("health: [{}],", health("2026-02-01", t));
    let p = portfolio(
        "",
        &[
            active("h11", "2026-01-01", &h(11)),
            active("h12", "2026-01-01", &h(12)),
            active("h13", "2026-01-01", &h(13)),
            active("none", "2026-01-01", ""),
        ],
    );
    let v = score(&p, "2026-03-01");
    assert_flag(&v, "h11", "health_conversation", true);
    assert_flag(&v, "h12", "health_conversation", false);
    assert_flag(&v, "h13", "health_conversation", false);
    assert_flag(&v, "none", "health_conversation", false);
    assert_eq!(al(&v, "h11")["health"]["total"], 11);
}

#[test]
fn health_latest_is_by_date_tie_later_in_file_and_future_ignored() {
    let as_of = "2026-03-01";
    let p = portfolio(
        "",
        &[
            // latest by date, not by file position
            active(
                "by-date",
                "2026-01-01",
                &format!(
                    "health: [{}, {}],",
                    health("2026-02-10", 8),
                    health("2026-02-01", 16)
                ),
            ),
            // same date: the later one in the file wins
            active(
                "tie",
                "2026-01-01",
                &format!(
                    "health: [{}, {}],",
                    health("2026-02-10", 16),
                    health("2026-02-10", 8)
                ),
            ),
            // a score after as-of does not exist yet
            active(
                "future",
                "2026-01-01",
                &format!(
                    "health: [{}, {}],",
                    health("2026-02-10", 16),
                    health(&plus(as_of, 1), 8)
                ),
            ),
            active(
                "only-future",
                "2026-01-01",
                &format!("health: [{}],", health(&plus(as_of, 1), 8)),
            ),
        ],
    );
    let v = score(&p, as_of);
    assert_eq!(al(&v, "by-date")["health"]["total"], 8);
    assert_eq!(al(&v, "by-date")["health"]["date"], "2026-02-10");
    assert_flag(&v, "by-date", "health_conversation", true);
    assert_eq!(al(&v, "tie")["health"]["total"], 8);
    assert_flag(&v, "tie", "health_conversation", true);
    assert_eq!(al(&v, "future")["health"]["total"], 16);
    assert_flag(&v, "future", "health_conversation", false);
    assert!(al(&v, "only-future")["health"].is_null());
    assert_flag(&v, "only-future", "health_conversation", false);
}

// ---- audit ------------------------------------------------------------------------------------

#[test]
fn audit_review_window_edges() {
    let as_of = "2026-06-30"; // window [2026-04-01, 2026-06-30]
    let r = |d: &str| reviews(&[mbr(d, Some(d))]);
    let p = portfolio(
        "",
        &[
            active("at-90", "2026-01-01", &r(&minus(as_of, 90))),
            active("at-91", "2026-01-01", &r(&minus(as_of, 91))),
            active("on-as-of", "2026-01-01", &r(as_of)),
            active("after", "2026-01-01", &r(&plus(as_of, 1))),
            active(
                "qsr",
                "2026-01-01",
                &reviews(&[qsr(&minus(as_of, 10), (7, 7, 7), None)]),
            ),
            active(
                "audit-field",
                "2026-01-01",
                &format!(
                    "audit: Some(Audit(date: \"2026-01-05\", last_structured_review: Some(\"{}\"))),",
                    minus(as_of, 90)
                ),
            ),
            active(
                "audit-field-91",
                "2026-01-01",
                &format!(
                    "audit: Some(Audit(date: \"2026-01-05\", last_structured_review: Some(\"{}\"))),",
                    minus(as_of, 91)
                ),
            ),
        ],
    );
    let v = score(&p, as_of);
    for (id, state) in [
        ("at-90", "at_risk"),
        ("at-91", "dead"),
        ("on-as-of", "at_risk"),
        ("after", "dead"),
        ("qsr", "at_risk"),
        ("audit-field", "at_risk"),
        ("audit-field-91", "dead"),
    ] {
        assert_eq!(al(&v, id)["audit"]["state"], state, "{id}");
        assert_flag(&v, id, "audit_dead", state == "dead");
        assert_flag(&v, id, "audit_at_risk", state == "at_risk");
    }
}

#[test]
fn audit_number_window_edges() {
    let as_of = "2026-06-30"; // window [2026-04-01, 2026-06-30]
    let m = |d: &str| {
        format!(
            "audit: Some(Audit(date: \"2026-01-05\", recent_result: Some(Measure(value: 10.0, date: \"{d}\")))),"
        )
    };
    let rev = |month: &str, value: f64| format!("revenue: {{ \"{month}\": {value:?} }},");
    let p = portfolio(
        "\"2026-03\": 1000.0, \"2026-04\": 1000.0, \"2026-07\": 1000.0",
        &[
            active("result-90", "2026-01-01", &m(&minus(as_of, 90))),
            active("result-91", "2026-01-01", &m(&minus(as_of, 91))),
            active("result-after", "2026-01-01", &m(&plus(as_of, 1))),
            active("rev-april", "2026-01-01", &rev("2026-04", 10.0)),
            active("rev-march", "2026-01-01", &rev("2026-03", 10.0)),
            active("rev-july", "2026-01-01", &rev("2026-07", 10.0)),
            active("rev-zero", "2026-01-01", &rev("2026-05", 0.0)),
        ],
    );
    let v = score(&p, as_of);
    for (id, state) in [
        ("result-90", "at_risk"),
        ("result-91", "dead"),
        ("result-after", "dead"),
        ("rev-april", "at_risk"),
        ("rev-march", "dead"),
        ("rev-july", "dead"),
        ("rev-zero", "dead"),
    ] {
        assert_eq!(al(&v, id)["audit"]["state"], state, "{id}");
        assert_flag(&v, id, "audit_dead", state == "dead");
        assert_flag(&v, id, "audit_at_risk", state == "at_risk");
    }
}

#[test]
fn audit_revenue_month_overlapping_window_start() {
    // as-of 2026-06-29: window starts 2026-03-31, so March overlaps it.
    let p = portfolio(
        "\"2026-03\": 1000.0",
        &[active("x", "2026-01-01", "revenue: { \"2026-03\": 10.0 },")],
    );
    let v = score(&p, "2026-06-29");
    assert_eq!(al(&v, "x")["audit"]["state"], "at_risk");
    let v = score(&p, "2026-06-30");
    assert_eq!(al(&v, "x")["audit"]["state"], "dead");
}

#[test]
fn audit_number_counts_win_condition_actuals_in_the_window() {
    let as_of = "2026-06-30"; // window [2026-04-01, 2026-06-30]
    let with_actual = |month: &str| {
        charter(
            None,
            &format!(
                "win_conditions: [{}],",
                win(Some(10.0), Some("2026-12-31"), &format!("\"{month}\": 3.0"))
            ),
        )
    };
    let p = portfolio(
        "",
        &[
            active("april", "2026-01-01", &with_actual("2026-04")),
            active("march", "2026-01-01", &with_actual("2026-03")),
            active("july", "2026-01-01", &with_actual("2026-07")),
        ],
    );
    let v = score(&p, as_of);
    for (id, state) in [("april", "at_risk"), ("march", "dead"), ("july", "dead")] {
        assert_eq!(al(&v, id)["audit"]["state"], state, "{id}");
        assert_flag(&v, id, "audit_dead", state == "dead");
    }
}

#[test]
fn audit_flags_wait_until_the_alliance_is_90_days_old() {
    let as_of = "2026-06-30";
    let p = portfolio(
        "",
        &[
            active("age-89", &minus(as_of, 89), ""),
            active("age-90", &minus(as_of, 90), ""),
            active("age-91", &minus(as_of, 91), ""),
            active(
                "new-at-risk",
                &minus(as_of, 10),
                &reviews(&[mbr(as_of, Some(as_of))]),
            ),
            active(
                "old-at-risk",
                &minus(as_of, 90),
                &reviews(&[mbr(as_of, Some(as_of))]),
            ),
        ],
    );
    let v = score(&p, as_of);
    for (id, state, flagged) in [
        ("age-89", "dead", false),
        ("age-90", "dead", true),
        ("age-91", "dead", true),
        ("new-at-risk", "at_risk", false),
        ("old-at-risk", "at_risk", true),
    ] {
        assert_eq!(
            al(&v, id)["audit"]["state"],
            state,
            "{id}: state still reported"
        );
        assert_flag(&v, id, "audit_dead", flagged && state == "dead");
        assert_flag(&v, id, "audit_at_risk", flagged && state == "at_risk");
    }
}

#[test]
fn audit_goal_ignores_a_win_condition_with_a_blank_metric() {
    let blank = "charter: Some(Charter(win_conditions: [WinCondition(metric: \"   \")])),";
    let named = "charter: Some(Charter(win_conditions: [WinCondition(metric: \"Revenue\")])),";
    let p = portfolio(
        "",
        &[
            active("blank", "2026-01-01", blank),
            active("named", "2026-01-01", named),
        ],
    );
    let v = score(&p, "2026-06-30");
    assert_eq!(al(&v, "blank")["audit"]["answers_yes"], 0);
    assert_eq!(al(&v, "named")["audit"]["answers_yes"], 1);
}

#[test]
fn audit_alive_and_answers_yes() {
    let as_of = "2026-06-30";
    let full_audit = "audit: Some(Audit(date: \"2026-01-05\", original_goal: \"Reach their list\", written_agreement: true)),";
    let evidence = format!(
        "{} revenue: {{ \"2026-06\": 10.0 }},",
        reviews(&[mbr("2026-06-15", Some("2026-06-15"))])
    );
    let p = portfolio(
        "\"2026-06\": 1000.0",
        &[
            active(
                "all-four",
                "2026-01-01",
                &format!("{full_audit} {evidence}"),
            ),
            active("nothing", "2026-01-01", ""),
            active("goal-agreement", "2026-01-01", full_audit),
            // goal from a charter win condition, agreement from the signature
            active(
                "from-charter",
                "2026-01-01",
                &charter(
                    Some("2026-01-10"),
                    &format!(
                        "win_conditions: [{}],",
                        win(Some(1.0), Some("2026-12-31"), "")
                    ),
                ),
            ),
            // a signature after as-of does not exist yet
            active(
                "signed-later",
                "2026-01-01",
                &charter(Some(&plus(as_of, 1)), ""),
            ),
            active(
                "empty-audit",
                "2026-01-01",
                "audit: Some(Audit(date: \"2026-01-05\")),",
            ),
        ],
    );
    let v = score(&p, as_of);
    let yes = |id| al(&v, id)["audit"]["answers_yes"].as_u64().unwrap();
    assert_eq!(yes("all-four"), 4);
    assert_eq!(al(&v, "all-four")["audit"]["state"], "alive");
    assert_flag(&v, "all-four", "audit_dead", false);
    assert_flag(&v, "all-four", "audit_at_risk", false);
    assert_eq!(yes("nothing"), 0);
    assert_eq!(al(&v, "nothing")["audit"]["state"], "dead");
    assert_eq!(yes("goal-agreement"), 2);
    assert_eq!(yes("from-charter"), 2);
    assert_eq!(yes("signed-later"), 0);
    assert_eq!(yes("empty-audit"), 0);
}

// ---- arcr_low ---------------------------------------------------------------------------------

#[test]
fn arcr_low_age_is_started_plus_six_months_clamped() {
    // started 2025-08-31 → six months later is 2026-02-28 (Feb has no 31st).
    let p = portfolio(
        "\"2026-01\": 100000.0, \"2026-02\": 100000.0",
        &[active(
            "x",
            "2025-08-31",
            "revenue: { \"2026-01\": 1000.0, \"2026-02\": 1000.0 },",
        )],
    );
    let v = score(&p, "2026-02-27");
    assert_num(&al(&v, "x")["arcr"]["latest"], 0.01);
    assert_flag(&v, "x", "arcr_low", false);
    let v = score(&p, "2026-02-28");
    assert_flag(&v, "x", "arcr_low", true);
}

#[test]
fn arcr_low_age_on_an_ordinary_day() {
    let p = portfolio(
        "\"2026-07\": 100000.0",
        &[active(
            "x",
            "2026-01-15",
            "revenue: { \"2026-07\": 1000.0 },",
        )],
    );
    assert_flag(&score(&p, "2026-07-14"), "x", "arcr_low", false);
    assert_flag(&score(&p, "2026-07-15"), "x", "arcr_low", true);
    assert_flag(&score(&p, "2026-07-16"), "x", "arcr_low", true);
}

#[test]
fn arcr_low_threshold_two_percent() {
    let r = |v: f64| format!("revenue: {{ \"2026-06\": {v:?} }},");
    let p = portfolio(
        "\"2026-06\": 100000.0",
        &[
            active("below", "2025-01-01", &r(1999.0)),
            active("at", "2025-01-01", &r(2000.0)),
            active("above", "2025-01-01", &r(2001.0)),
            // from `started` on, brand revenue with no alliance entry counts as 0
            active("no-entry", "2025-01-01", ""),
        ],
    );
    let v = score(&p, "2026-06-30");
    assert_flag(&v, "below", "arcr_low", true);
    assert_flag(&v, "at", "arcr_low", false);
    assert_flag(&v, "above", "arcr_low", false);
    assert_num(&al(&v, "no-entry")["arcr"]["latest"], 0.0);
    assert_flag(&v, "no-entry", "arcr_low", true);
}

#[test]
fn arcr_low_not_raised_without_an_arcr_for_the_latest_month() {
    // the latest month's brand revenue is 0: no ARCR, so nothing to be < 2%.
    let p = portfolio(
        "\"2026-05\": 100000.0, \"2026-06\": 0.0",
        &[active(
            "x",
            "2025-01-01",
            "revenue: { \"2026-05\": 5000.0 },",
        )],
    );
    let v = score(&p, "2026-06-30");
    assert_eq!(v["portfolio"]["latest_month"], "2026-06");
    assert!(al(&v, "x")["arcr"]["latest"].is_null());
    assert_flag(&v, "x", "arcr_low", false);
}

// ---- arcr_declining ---------------------------------------------------------------------------

fn declining_portfolio(brand: &str, alliance_rev: &str) -> String {
    portfolio(
        brand,
        &[active(
            "x",
            "2025-01-01",
            &format!("revenue: {{ {alliance_rev} }},"),
        )],
    )
}

const FOUR_MONTHS: &str =
    "\"2026-01\": 100000.0, \"2026-02\": 100000.0, \"2026-03\": 100000.0, \"2026-04\": 100000.0";

#[test]
fn arcr_declining_four_strictly_falling_months() {
    let p = declining_portfolio(
        FOUR_MONTHS,
        "\"2026-01\": 5000.0, \"2026-02\": 4000.0, \"2026-03\": 3000.0, \"2026-04\": 2500.0",
    );
    let v = score(&p, "2026-04-30");
    assert_flag(&v, "x", "arcr_declining", true);
}

#[test]
fn arcr_declining_not_raised_with_a_flat_step() {
    let p = declining_portfolio(
        FOUR_MONTHS,
        "\"2026-01\": 5000.0, \"2026-02\": 4000.0, \"2026-03\": 4000.0, \"2026-04\": 2500.0",
    );
    assert_flag(&score(&p, "2026-04-30"), "x", "arcr_declining", false);
}

#[test]
fn arcr_declining_needs_all_four_calendar_months() {
    // only three months have an ARCR (no brand revenue in January)
    let p = declining_portfolio(
        "\"2026-02\": 100000.0, \"2026-03\": 100000.0, \"2026-04\": 100000.0",
        "\"2026-01\": 5000.0, \"2026-02\": 4000.0, \"2026-03\": 3000.0, \"2026-04\": 2500.0",
    );
    assert_flag(&score(&p, "2026-04-30"), "x", "arcr_declining", false);
    // four falling values in the series but with a calendar gap (no March)
    let p = declining_portfolio(
        "\"2025-12\": 100000.0, \"2026-01\": 100000.0, \"2026-02\": 100000.0, \"2026-04\": 100000.0",
        "\"2025-12\": 6000.0, \"2026-01\": 5000.0, \"2026-02\": 4000.0, \"2026-04\": 2500.0",
    );
    let v = score(&p, "2026-04-30");
    assert_eq!(al(&v, "x")["arcr"]["series"].as_array().unwrap().len(), 4);
    assert_flag(&v, "x", "arcr_declining", false);
}

#[test]
fn arcr_declining_uses_latest_month_not_after_as_of() {
    // Jan–Apr fall, May rises. Evaluated in April, May does not exist yet.
    let p = declining_portfolio(
        &format!("{FOUR_MONTHS}, \"2026-05\": 100000.0"),
        "\"2026-01\": 5000.0, \"2026-02\": 4000.0, \"2026-03\": 3000.0, \"2026-04\": 2500.0, \"2026-05\": 9000.0",
    );
    let v = score(&p, "2026-04-30");
    assert_eq!(v["portfolio"]["latest_month"], "2026-04");
    assert_flag(&v, "x", "arcr_declining", true);
    let v = score(&p, "2026-05-01");
    assert_eq!(v["portfolio"]["latest_month"], "2026-05");
    assert_flag(&v, "x", "arcr_declining", false);
}

// ---- cfr_red / cfr_critical -------------------------------------------------------------------

/// Monthly CFRs for April and May (March optional) by `(due month day, n, done)` batches.
fn cfr_alliance(id: &str, months: &[(&str, usize, usize)]) -> String {
    let mut list = Vec::new();
    for (due, n, done) in months {
        list.extend(batch("Us", due, *n, *done, due));
    }
    active(id, "2025-01-01", &commitments(&list))
}

#[test]
fn cfr_red_both_months_before_as_of_month_below_70() {
    let as_of = "2026-06-15"; // months before: April, May
    let p = portfolio(
        "",
        &[
            cfr_alliance("both-low", &[("2026-04-10", 2, 1), ("2026-05-10", 3, 2)]),
            cfr_alliance("may-at-70", &[("2026-04-10", 2, 1), ("2026-05-10", 10, 7)]),
            cfr_alliance(
                "april-at-70",
                &[("2026-04-10", 10, 7), ("2026-05-10", 2, 1)],
            ),
            cfr_alliance(
                "just-below",
                &[("2026-04-10", 100, 69), ("2026-05-10", 100, 69)],
            ),
            cfr_alliance("april-none", &[("2026-05-10", 2, 1)]),
            // the as-of month does not count; March does not count for cfr_red
            cfr_alliance(
                "as-of-month-low",
                &[
                    ("2026-04-10", 1, 1),
                    ("2026-05-10", 2, 1),
                    ("2026-06-01", 2, 0),
                ],
            ),
            cfr_alliance(
                "march-april-low",
                &[("2026-03-10", 2, 0), ("2026-04-10", 2, 0)],
            ),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "both-low", "cfr_red", true);
    assert_flag(&v, "may-at-70", "cfr_red", false);
    assert_flag(&v, "april-at-70", "cfr_red", false);
    assert_flag(&v, "just-below", "cfr_red", true);
    assert_flag(&v, "april-none", "cfr_red", false);
    assert_flag(&v, "as-of-month-low", "cfr_red", false);
    assert_flag(&v, "march-april-low", "cfr_red", false);
}

#[test]
fn cfr_red_done_after_as_of_does_not_count_yet() {
    let mut list = batch("Us", "2026-04-10", 2, 2, "2026-06-20");
    list.extend(batch("Us", "2026-05-10", 2, 2, "2026-06-20"));
    let p = portfolio("", &[active("x", "2025-01-01", &commitments(&list))]);
    let v = score(&p, "2026-06-15");
    assert_flag(&v, "x", "cfr_red", true);
    let v = score(&p, "2026-06-20");
    assert_flag(&v, "x", "cfr_red", false);
}

#[test]
fn cfr_critical_three_months_before_as_of_month_below_50() {
    let as_of = "2026-06-15"; // months before: March, April, May
    let p = portfolio(
        "",
        &[
            cfr_alliance(
                "all-low",
                &[
                    ("2026-03-10", 3, 1),
                    ("2026-04-10", 3, 1),
                    ("2026-05-10", 3, 1),
                ],
            ),
            cfr_alliance(
                "one-at-50",
                &[
                    ("2026-03-10", 2, 1),
                    ("2026-04-10", 3, 1),
                    ("2026-05-10", 3, 1),
                ],
            ),
            cfr_alliance(
                "just-below",
                &[
                    ("2026-03-10", 100, 49),
                    ("2026-04-10", 100, 49),
                    ("2026-05-10", 100, 49),
                ],
            ),
            cfr_alliance("march-none", &[("2026-04-10", 3, 1), ("2026-05-10", 3, 1)]),
            cfr_alliance(
                "shifted",
                &[
                    ("2026-02-10", 3, 1),
                    ("2026-03-10", 3, 1),
                    ("2026-04-10", 3, 1),
                    ("2026-05-10", 1, 1),
                ],
            ),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "all-low", "cfr_critical", true);
    assert_flag(&v, "all-low", "cfr_red", true); // rules are independent
    assert_flag(&v, "one-at-50", "cfr_critical", false);
    assert_flag(&v, "one-at-50", "cfr_red", true);
    assert_flag(&v, "just-below", "cfr_critical", true);
    assert_flag(&v, "march-none", "cfr_critical", false);
    assert_flag(&v, "shifted", "cfr_critical", false);
}

#[test]
fn cfr_rules_use_combined_cfr_of_both_parties() {
    // Us 0/2 and Partner 2/2 in each month: combined 50% → cfr_red, not cfr_critical.
    let mut list = Vec::new();
    for due in ["2026-03-10", "2026-04-10", "2026-05-10"] {
        list.extend(batch("Us", due, 2, 0, due));
        list.extend(batch("Partner", due, 2, 2, due));
    }
    let p = portfolio("", &[active("x", "2025-01-01", &commitments(&list))]);
    let v = score(&p, "2026-06-15");
    assert_flag(&v, "x", "cfr_red", true);
    assert_flag(&v, "x", "cfr_critical", false);
}

// ---- sas_exit / alignment_exit ----------------------------------------------------------------

#[test]
fn sas_exit_either_party_below_6_in_latest_qsr() {
    let q = |us, partner| reviews(&[qsr("2026-05-01", us, partner)]);
    let p = portfolio(
        "",
        &[
            active("both-6", "2025-01-01", &q((6, 6, 6), Some((6, 6, 6)))),
            active("partner-low", "2025-01-01", &q((9, 9, 9), Some((5, 6, 6)))),
            active("us-low", "2025-01-01", &q((5, 6, 6), Some((9, 9, 9)))),
            active("us-6-no-partner", "2025-01-01", &q((6, 6, 6), None)),
            active("us-low-no-partner", "2025-01-01", &q((6, 6, 5), None)),
            // only the latest QSR counts
            active(
                "older-low",
                "2025-01-01",
                &reviews(&[
                    qsr("2026-01-10", (2, 2, 2), Some((2, 2, 2))),
                    qsr("2026-05-01", (7, 7, 7), Some((7, 7, 7))),
                ]),
            ),
        ],
    );
    let v = score(&p, "2026-06-15");
    assert_flag(&v, "both-6", "sas_exit", false);
    assert_flag(&v, "partner-low", "sas_exit", true);
    assert_flag(&v, "us-low", "sas_exit", true);
    assert_flag(&v, "us-6-no-partner", "sas_exit", false);
    assert_flag(&v, "us-low-no-partner", "sas_exit", true);
    assert_flag(&v, "older-low", "sas_exit", false);
}

#[test]
fn sas_exit_ignores_a_qsr_after_as_of() {
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &reviews(&[
                qsr("2026-05-01", (7, 7, 7), None),
                qsr("2026-06-16", (1, 1, 1), None),
            ]),
        )],
    );
    let v = score(&p, "2026-06-15");
    assert_flag(&v, "x", "sas_exit", false);
    assert_eq!(al(&v, "x")["sas"]["date"], "2026-05-01");
}

#[test]
fn alignment_exit_two_latest_qsrs_combined_below_6() {
    let two = |a: (u8, u8, u8), b: (u8, u8, u8)| {
        reviews(&[qsr("2026-02-01", a, Some(a)), qsr("2026-05-01", b, Some(b))])
    };
    let p = portfolio(
        "",
        &[
            active("both-low", "2025-01-01", &two((5, 6, 6), (5, 5, 6))),
            active("first-at-6", "2025-01-01", &two((6, 6, 6), (5, 5, 5))),
            active("second-at-6", "2025-01-01", &two((5, 5, 5), (6, 6, 6))),
            active(
                "only-one",
                "2025-01-01",
                &reviews(&[qsr("2026-05-01", (5, 5, 5), Some((5, 5, 5)))]),
            ),
            // combined 6.0 from 7 and 5: sas_exit, but not below 6 combined
            active(
                "combined-6",
                "2025-01-01",
                &reviews(&[
                    qsr("2026-02-01", (5, 5, 5), Some((5, 5, 5))),
                    qsr("2026-05-01", (7, 7, 7), Some((5, 5, 5))),
                ]),
            ),
            // the two latest: an old low one before them does not count
            active(
                "third-older",
                "2025-01-01",
                &reviews(&[
                    qsr("2025-11-01", (5, 5, 5), Some((5, 5, 5))),
                    qsr("2026-02-01", (7, 7, 7), Some((7, 7, 7))),
                    qsr("2026-05-01", (5, 5, 5), Some((5, 5, 5))),
                ]),
            ),
            // partner missing: combined is ours alone
            active(
                "ours-alone",
                "2025-01-01",
                &reviews(&[
                    qsr("2026-02-01", (5, 5, 5), None),
                    qsr("2026-05-01", (5, 5, 5), None),
                ]),
            ),
        ],
    );
    let v = score(&p, "2026-06-15");
    assert_flag(&v, "both-low", "alignment_exit", true);
    assert_flag(&v, "first-at-6", "alignment_exit", false);
    assert_flag(&v, "second-at-6", "alignment_exit", false);
    assert_flag(&v, "only-one", "alignment_exit", false);
    assert_flag(&v, "combined-6", "alignment_exit", false);
    assert_flag(&v, "combined-6", "sas_exit", true);
    assert_flag(&v, "third-older", "alignment_exit", false);
    assert_flag(&v, "ours-alone", "alignment_exit", true);
}

#[test]
fn alignment_exit_ignores_a_qsr_after_as_of() {
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &reviews(&[
                qsr("2026-02-01", (7, 7, 7), None),
                qsr("2026-05-01", (5, 5, 5), None),
                qsr("2026-06-16", (5, 5, 5), None),
            ]),
        )],
    );
    assert_flag(&score(&p, "2026-06-15"), "x", "alignment_exit", false);
    assert_flag(&score(&p, "2026-06-16"), "x", "alignment_exit", true);
}

// ---- mbr_overdue ------------------------------------------------------------------------------

#[test]
fn mbr_overdue_more_than_35_days() {
    let as_of = "2026-06-30";
    let r = |days| reviews(&[mbr(&minus(as_of, days), Some(&minus(as_of, days)))]);
    let p = portfolio(
        "",
        &[
            active("d34", "2025-01-01", &r(34)),
            active("d35", "2025-01-01", &r(35)),
            active("d36", "2025-01-01", &r(36)),
            active("none-35-old", &minus(as_of, 35), ""),
            active("none-36-old", &minus(as_of, 36), ""),
            // a QSR is not a monthly review
            active(
                "only-qsr",
                "2025-01-01",
                &reviews(&[qsr(&minus(as_of, 1), (7, 7, 7), None)]),
            ),
            // a monthly review after as-of does not exist yet
            active(
                "future",
                "2025-01-01",
                &r(0).replace(as_of, &plus(as_of, 1)),
            ),
            alliance("winding", "WindingDown", "2025-01-01", &r(100)),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "d34", "mbr_overdue", false);
    assert_flag(&v, "d35", "mbr_overdue", false);
    assert_flag(&v, "d36", "mbr_overdue", true);
    assert_flag(&v, "none-35-old", "mbr_overdue", false);
    assert_flag(&v, "none-36-old", "mbr_overdue", true);
    assert_flag(&v, "only-qsr", "mbr_overdue", true);
    assert_flag(&v, "future", "mbr_overdue", true);
    assert_flag(&v, "winding", "mbr_overdue", false);
}

// ---- qsr_overdue ------------------------------------------------------------------------------

#[test]
fn qsr_overdue_more_than_100_days() {
    let as_of = "2026-06-30";
    let q = |days| reviews(&[qsr(&minus(as_of, days), (7, 7, 7), None)]);
    let p = portfolio(
        "",
        &[
            active("d99", "2025-01-01", &q(99)),
            active("d100", "2025-01-01", &q(100)),
            active("d101", "2025-01-01", &q(101)),
            active("none-100-old", &minus(as_of, 100), ""),
            active("none-101-old", &minus(as_of, 101), ""),
            active(
                "only-mbr",
                "2025-01-01",
                &reviews(&[mbr(&minus(as_of, 1), Some(&minus(as_of, 1)))]),
            ),
            active(
                "future",
                "2025-01-01",
                &reviews(&[qsr(&plus(as_of, 1), (7, 7, 7), None)]),
            ),
            alliance("winding", "WindingDown", "2025-01-01", &q(200)),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "d99", "qsr_overdue", false);
    assert_flag(&v, "d100", "qsr_overdue", false);
    assert_flag(&v, "d101", "qsr_overdue", true);
    assert_flag(&v, "none-100-old", "qsr_overdue", false);
    assert_flag(&v, "none-101-old", "qsr_overdue", true);
    assert_flag(&v, "only-mbr", "qsr_overdue", true);
    assert_flag(&v, "future", "qsr_overdue", true);
    assert_flag(&v, "winding", "qsr_overdue", false);
}

#[test]
fn qsr_overdue_when_ninety_day_review_date_passed_without_qsr() {
    let as_of = "2026-06-30";
    let with = |review_date: &str, qsr_date: Option<&str>| {
        let mut s = charter(
            Some("2026-04-01"),
            &format!("review_date: Some(\"{review_date}\"),"),
        );
        if let Some(d) = qsr_date {
            s.push_str(&reviews(&[qsr(d, (7, 7, 7), None)]));
        }
        s
    };
    let young = minus(as_of, 50); // younger than 100 days: only the review_date rule can hold
    let p = portfolio(
        "",
        &[
            active("passed-no-qsr", &young, &with(&minus(as_of, 1), None)),
            active("due-today", &young, &with(as_of, None)),
            active(
                "qsr-before",
                &young,
                &with(&minus(as_of, 1), Some(&minus(as_of, 2))),
            ),
            active(
                "qsr-on",
                &young,
                &with(&minus(as_of, 1), Some(&minus(as_of, 1))),
            ),
            active(
                "qsr-after",
                &young,
                &with(&minus(as_of, 5), Some(&minus(as_of, 1))),
            ),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "passed-no-qsr", "qsr_overdue", true);
    assert_flag(&v, "due-today", "qsr_overdue", false);
    assert_flag(&v, "qsr-before", "qsr_overdue", true);
    assert_flag(&v, "qsr-on", "qsr_overdue", false);
    assert_flag(&v, "qsr-after", "qsr_overdue", false);
}

// ---- summary_late -----------------------------------------------------------------------------

#[test]
fn summary_late_sent_more_than_one_day_after() {
    let r = |sent: Option<&str>| reviews(&[mbr("2026-06-10", sent)]);
    let p = portfolio(
        "",
        &[
            active("same-day", "2025-01-01", &r(Some("2026-06-10"))),
            active("plus-1", "2025-01-01", &r(Some("2026-06-11"))),
            active("plus-2", "2026-01-01", &r(Some("2026-06-12"))),
            active("not-sent", "2025-01-01", &r(None)),
            alliance(
                "winding",
                "WindingDown",
                "2025-01-01",
                &r(Some("2026-06-12")),
            ),
        ],
    );
    let v = score(&p, "2026-06-20");
    assert_flag(&v, "same-day", "summary_late", false);
    assert_flag(&v, "plus-1", "summary_late", false);
    assert_flag(&v, "plus-2", "summary_late", true);
    assert_flag(&v, "not-sent", "summary_late", true);
    assert_flag(&v, "winding", "summary_late", true);
}

#[test]
fn summary_late_not_sent_counts_from_as_of() {
    let p = portfolio(
        "",
        &[
            active(
                "not-sent",
                "2025-01-01",
                &reviews(&[mbr("2026-06-10", None)]),
            ),
            // sent on 06-13: on 06-11 it has not been sent yet, and only one day has passed
            active(
                "sent-later",
                "2025-01-01",
                &reviews(&[mbr("2026-06-10", Some("2026-06-13"))]),
            ),
        ],
    );
    let v = score(&p, "2026-06-10");
    assert_flag(&v, "not-sent", "summary_late", false);
    let v = score(&p, "2026-06-11");
    assert_flag(&v, "not-sent", "summary_late", false);
    assert_flag(&v, "sent-later", "summary_late", false);
    let v = score(&p, "2026-06-12");
    assert_flag(&v, "not-sent", "summary_late", true);
    assert_flag(&v, "sent-later", "summary_late", true);
}

#[test]
fn summary_late_only_the_latest_monthly_review_tie_later_in_file() {
    let p = portfolio(
        "",
        &[
            active(
                "earlier-late",
                "2025-01-01",
                &reviews(&[
                    mbr("2026-05-10", None),
                    mbr("2026-06-10", Some("2026-06-10")),
                ]),
            ),
            active(
                "latest-late-first-in-file",
                "2025-01-01",
                &reviews(&[
                    mbr("2026-06-10", None),
                    mbr("2026-05-10", Some("2026-05-10")),
                ]),
            ),
            active(
                "tie-late-last",
                "2025-01-01",
                &reviews(&[
                    mbr("2026-06-10", Some("2026-06-10")),
                    mbr("2026-06-10", None),
                ]),
            ),
            active(
                "tie-late-first",
                "2025-01-01",
                &reviews(&[
                    mbr("2026-06-10", None),
                    mbr("2026-06-10", Some("2026-06-10")),
                ]),
            ),
            // a later review after as-of does not exist: the earlier late one is the latest
            active(
                "future-review",
                "2025-01-01",
                &reviews(&[
                    mbr("2026-06-10", None),
                    mbr("2026-06-21", Some("2026-06-21")),
                ]),
            ),
        ],
    );
    let v = score(&p, "2026-06-20");
    assert_flag(&v, "earlier-late", "summary_late", false);
    assert_flag(&v, "latest-late-first-in-file", "summary_late", true);
    assert_flag(&v, "tie-late-last", "summary_late", true);
    assert_flag(&v, "tie-late-first", "summary_late", false);
    assert_flag(&v, "future-review", "summary_late", true);
}

// ---- escalation_overdue -----------------------------------------------------------------------

#[test]
fn escalation_overdue_against_charter_resolution_days() {
    let as_of = "2026-06-30";
    let c = charter(
        Some("2026-01-02"),
        "escalation: Escalation(resolution_days: 10),",
    );
    let e = |raised: &str, resolved: Option<&str>| {
        format!("{c} escalations: [{}],", escalation(raised, resolved))
    };
    let p = portfolio(
        "",
        &[
            active("d9", "2025-01-01", &e(&minus(as_of, 9), None)),
            active("d10", "2025-01-01", &e(&minus(as_of, 10), None)),
            active("d11", "2025-01-01", &e(&minus(as_of, 11), None)),
            active("resolved", "2025-01-01", &e(&minus(as_of, 30), Some(as_of))),
            active(
                "resolved-later",
                "2025-01-01",
                &e(&minus(as_of, 30), Some(&plus(as_of, 1))),
            ),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "d9", "escalation_overdue", false);
    assert_flag(&v, "d10", "escalation_overdue", false);
    assert_flag(&v, "d11", "escalation_overdue", true);
    assert_flag(&v, "resolved", "escalation_overdue", false);
    assert_flag(&v, "resolved-later", "escalation_overdue", true);
}

#[test]
fn escalation_overdue_defaults_to_14_days_without_charter_listed_once() {
    let as_of = "2026-06-30";
    let e = |list: &[String]| format!("escalations: [{}],", list.join(", "));
    let p = portfolio(
        "",
        &[
            active(
                "d14",
                "2025-01-01",
                &e(&[escalation(&minus(as_of, 14), None)]),
            ),
            active(
                "d15",
                "2025-01-01",
                &e(&[escalation(&minus(as_of, 15), None)]),
            ),
            active(
                "two-overdue",
                "2025-01-01",
                &e(&[
                    escalation(&minus(as_of, 40), None),
                    escalation(&minus(as_of, 20), None),
                ]),
            ),
            alliance(
                "winding",
                "WindingDown",
                "2025-01-01",
                &e(&[escalation(&minus(as_of, 15), None)]),
            ),
        ],
    );
    let v = score(&p, as_of);
    assert_flag(&v, "d14", "escalation_overdue", false);
    assert_flag(&v, "d15", "escalation_overdue", true);
    assert_flag(&v, "two-overdue", "escalation_overdue", true);
    assert_flag(&v, "winding", "escalation_overdue", true);
}

// =============================================================================================
// Status gating
// =============================================================================================

/// An alliance that breaks nearly every rule.
fn troubled(id: &str, status: &str) -> String {
    alliance(
        id,
        status,
        "2024-01-01",
        &format!(
            "health: [{}], revenue: {{ \"2026-05\": 1000.0 }}, {} {} escalations: [{}],",
            health("2026-01-10", 5),
            commitments(&[
                ("Us", "2026-03-10", None),
                ("Us", "2026-04-10", None),
                ("Us", "2026-05-10", None)
            ]),
            reviews(&[
                mbr("2026-01-10", None),
                qsr("2026-01-15", (2, 2, 2), None),
                qsr("2026-01-20", (2, 2, 2), None)
            ]),
            escalation("2026-01-01", None),
        ),
    )
}

#[test]
fn proposed_and_ended_get_metrics_but_no_flags() {
    let p = portfolio(
        "\"2026-05\": 100000.0",
        &[
            troubled("proposed", "Proposed"),
            troubled("ended", "Ended"),
            troubled("active", "Active"),
        ],
    );
    let v = score(&p, "2026-06-15");
    for id in ["proposed", "ended"] {
        assert!(codes(&v, id).is_empty(), "{id}: {:?}", codes(&v, id));
        let a = al(&v, id);
        assert_eq!(a["health"]["total"], 5);
        assert_num(&a["sas"]["us"], 2.0);
        assert_num(&a["arcr"]["latest"], 0.01);
        assert_eq!(a["audit"]["state"], "at_risk");
        assert_eq!(a["cfr"]["monthly"].as_array().unwrap().len(), 3);
    }
    for code in [
        "no_charter",
        "health_conversation",
        "arcr_low",
        "cfr_red",
        "cfr_critical",
        "sas_exit",
        "alignment_exit",
        "mbr_overdue",
        "qsr_overdue",
        "summary_late",
        "escalation_overdue",
        "audit_at_risk",
    ] {
        assert_flag(&v, "active", code, true);
    }
}

#[test]
fn winding_down_gets_flags_except_charter_and_review_cadence() {
    let p = portfolio("\"2026-05\": 100000.0", &[troubled("wd", "WindingDown")]);
    let v = score(&p, "2026-06-15");
    for code in ["no_charter", "mbr_overdue", "qsr_overdue"] {
        assert_flag(&v, "wd", code, false);
    }
    for code in [
        "health_conversation",
        "arcr_low",
        "cfr_red",
        "cfr_critical",
        "sas_exit",
        "alignment_exit",
        "summary_late",
        "escalation_overdue",
        "audit_at_risk",
    ] {
        assert_flag(&v, "wd", code, true);
    }
}

#[test]
fn flag_counts_sum_severities_over_alliances() {
    let p = portfolio(
        "\"2026-05\": 100000.0",
        &[
            troubled("a", "Active"),
            troubled("b", "WindingDown"),
            troubled("c", "Ended"),
        ],
    );
    let v = score(&p, "2026-06-15");
    let (mut warn, mut critical) = (0, 0);
    for a in v["alliances"].as_array().unwrap() {
        for f in a["flags"].as_array().unwrap() {
            if f["severity"] == "warn" {
                warn += 1;
            } else {
                critical += 1;
            }
        }
    }
    assert!(warn > 0 && critical > 0);
    assert_eq!(v["portfolio"]["flag_counts"]["warn"], warn);
    assert_eq!(v["portfolio"]["flag_counts"]["critical"], critical);
}

// =============================================================================================
// Definitions
// =============================================================================================

// ---- ARCR -------------------------------------------------------------------------------------

#[test]
fn arcr_series_from_started_month_skipping_missing_and_zero_brand_revenue() {
    let p = portfolio(
        "\"2026-01\": 100000.0, \"2026-02\": 100000.0, \"2026-03\": 100000.0, \"2026-04\": 0.0, \"2026-06\": 50000.0, \"2026-07\": 100000.0",
        &[active(
            "x",
            "2026-02-15",
            // January is before `started`; May has no brand revenue; April's is 0;
            // July is after the as-of month.
            "revenue: { \"2026-01\": 5000.0, \"2026-03\": 3000.0, \"2026-04\": 10.0, \"2026-05\": 10.0, \"2026-06\": 1000.0, \"2026-07\": 4000.0 },",
        )],
    );
    let v = score(&p, "2026-06-30");
    let a = al(&v, "x");
    let series = a["arcr"]["series"].as_array().unwrap();
    let months: Vec<&str> = series
        .iter()
        .map(|e| e["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2026-02", "2026-03", "2026-06"]);
    assert_num(&series[0]["value"], 0.0);
    assert_num(&series[1]["value"], 0.03);
    assert_num(&series[2]["value"], 0.02);
    assert_num(&a["arcr"]["latest"], 0.02);
    assert_eq!(a["arcr"]["month"], "2026-06");
    assert_eq!(v["portfolio"]["latest_month"], "2026-06");
}

#[test]
fn arcr_latest_is_null_when_the_latest_month_has_none() {
    // started after the latest month: no ARCR at all
    let p = portfolio(
        "\"2026-04\": 100000.0, \"2026-05\": 100000.0",
        &[
            active(
                "late-start",
                "2026-06-01",
                "revenue: { \"2026-06\": 1000.0 },",
            ),
            // the alliance has an earlier ARCR, but the latest month's brand revenue is 0
            active("gap", "2026-01-01", "revenue: { \"2026-04\": 1000.0 },"),
        ],
    );
    let v = score(&p, "2026-06-15");
    assert_eq!(v["portfolio"]["latest_month"], "2026-05");
    assert!(al(&v, "late-start")["arcr"]["latest"].is_null());
    assert_eq!(
        al(&v, "late-start")["arcr"]["series"],
        serde_json::json!([])
    );
    // "gap": May has brand revenue and no entry → 0, not null
    assert_num(&al(&v, "gap")["arcr"]["latest"], 0.0);
    let p = portfolio(
        "\"2026-04\": 100000.0, \"2026-05\": 0.0",
        &[active(
            "gap",
            "2026-01-01",
            "revenue: { \"2026-04\": 1000.0 },",
        )],
    );
    let v = score(&p, "2026-06-15");
    assert!(al(&v, "gap")["arcr"]["latest"].is_null());
    assert_eq!(al(&v, "gap")["arcr"]["series"].as_array().unwrap().len(), 1);
}

// ---- portfolio --------------------------------------------------------------------------------

#[test]
fn alliance_share_over_all_statuses_and_active_count() {
    let r = |v: f64| format!("revenue: {{ \"2026-05\": {v:?}, \"2026-06\": 99999.0 }},");
    let p = portfolio(
        "\"2026-04\": 50000.0, \"2026-05\": 100000.0",
        &[
            alliance("a", "Active", "2025-01-01", &r(10000.0)),
            alliance("b", "Active", "2025-01-01", &r(2000.0)),
            alliance("c", "WindingDown", "2025-01-01", &r(3000.0)),
            alliance("d", "Proposed", "2025-01-01", &r(2000.0)),
            alliance("e", "Ended", "2025-01-01", &r(500.0)),
        ],
    );
    let v = score(&p, "2026-06-30");
    assert_eq!(v["portfolio"]["latest_month"], "2026-05");
    assert_num(&v["portfolio"]["alliance_share"], 0.175);
    assert_eq!(v["portfolio"]["active"], 2);
}

#[test]
fn goal_attainment_met_over_met_plus_missed_pipeline_excluded() {
    let w = |list: &[String]| {
        charter(
            Some("2025-01-02"),
            &format!("win_conditions: [{}],", list.join(", ")),
        )
    };
    let met = win(Some(10.0), Some("2026-03-31"), "\"2026-03\": 10.0");
    let missed = win(Some(10.0), Some("2026-03-31"), "\"2026-03\": 9.0");
    let on_track = win(Some(10.0), Some("2026-12-31"), "\"2026-03\": 9.0");
    let unmeasured = win(Some(10.0), Some("2026-12-31"), "");
    let wish = win(None, Some("2026-03-31"), "\"2026-03\": 10.0");
    let p = portfolio_with(
        "",
        &[
            alliance(
                "a",
                "Active",
                "2025-01-01",
                &w(&[met.clone(), missed.clone(), on_track]),
            ),
            alliance(
                "b",
                "Ended",
                "2025-01-01",
                &w(&[met.clone(), unmeasured, wish]),
            ),
            alliance("c", "Proposed", "2025-01-01", &w(&[missed])),
        ],
        &format!(
            "pipeline: [Intake(partner: \"P\", kind: Wholesale, submitted: \"2026-01-01\", win_conditions: [{met}, {met}])],"
        ),
    );
    let v = score(&p, "2026-06-30");
    assert_num(&v["portfolio"]["goal_attainment"], 0.5);
}

#[test]
fn goal_attainment_null_when_none_met_or_missed() {
    let p = portfolio(
        "",
        &[active(
            "a",
            "2025-01-01",
            &charter(
                Some("2025-01-02"),
                &format!(
                    "win_conditions: [{}, {}, {}],",
                    win(Some(10.0), Some("2026-12-31"), "\"2026-03\": 9.0"),
                    win(Some(10.0), Some("2026-12-31"), ""),
                    win(None, None, "")
                ),
            ),
        )],
    );
    let v = score(&p, "2026-06-30");
    assert!(v["portfolio"]["goal_attainment"].is_null());
}

// ---- CFR --------------------------------------------------------------------------------------

#[test]
fn cfr_trailing_30d_window_edges() {
    let as_of = "2026-06-30"; // window (2026-05-31, 2026-06-30]
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &commitments(&[
                ("Us", "2026-05-31", None),                    // outside: not counted
                ("Us", "2026-06-01", Some("2026-06-01")),      // in, done
                ("Partner", "2026-06-30", None),               // in, not done
                ("Partner", "2026-06-15", Some("2026-06-30")), // in, done on as-of
                ("Us", "2026-07-01", Some("2026-06-01")),      // due after as-of: not counted
                ("Us", "2026-06-20", Some("2026-07-01")),      // in, done after as-of: not done
            ]),
        )],
    );
    let v = score(&p, as_of);
    let a = al(&v, "x");
    assert_opt(a, "/cfr/trailing_30d/us", Some(0.5));
    assert_opt(a, "/cfr/trailing_30d/partner", Some(0.5));
    assert_opt(a, "/cfr/trailing_30d/all", Some(0.5));
}

#[test]
fn cfr_trailing_30d_null_per_party_when_nothing_due() {
    let p = portfolio(
        "",
        &[
            active(
                "us-only",
                "2025-01-01",
                &commitments(&[("Us", "2026-06-10", None)]),
            ),
            active(
                "old-only",
                "2025-01-01",
                &commitments(&[("Us", "2026-05-31", Some("2026-05-31"))]),
            ),
        ],
    );
    let v = score(&p, "2026-06-30");
    let a = al(&v, "us-only");
    assert_opt(a, "/cfr/trailing_30d/us", Some(0.0));
    assert_opt(a, "/cfr/trailing_30d/partner", None);
    assert_opt(a, "/cfr/trailing_30d/all", Some(0.0));
    let a = al(&v, "old-only");
    assert_opt(a, "/cfr/trailing_30d/us", None);
    assert_opt(a, "/cfr/trailing_30d/partner", None);
    assert_opt(a, "/cfr/trailing_30d/all", None);
}

#[test]
fn cfr_monthly_entries_per_month_with_commitments_due_up_to_as_of_month() {
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &commitments(&[
                ("Us", "2026-03-31", Some("2026-04-20")), // done late: still completed
                ("Partner", "2026-03-01", None),
                ("Us", "2026-05-10", Some("2026-06-16")), // done after as-of: not completed
                ("Us", "2026-05-11", Some("2026-05-11")),
                ("Partner", "2026-06-02", None), // in the as-of month, before as-of
                ("Us", "2026-07-01", None),      // after the as-of month: no entry
            ]),
        )],
    );
    let v = score(&p, "2026-06-15");
    let monthly = al(&v, "x")["cfr"]["monthly"].as_array().unwrap().clone();
    let months: Vec<&str> = monthly
        .iter()
        .map(|e| e["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2026-03", "2026-05", "2026-06"], "{monthly:?}");
    let m = Value::Array(monthly);
    assert_opt(&m, "/0/us", Some(1.0));
    assert_opt(&m, "/0/partner", Some(0.0));
    assert_opt(&m, "/0/all", Some(0.5));
    assert_opt(&m, "/1/us", Some(0.5));
    assert_opt(&m, "/1/partner", None);
    assert_opt(&m, "/1/all", Some(0.5));
    assert_opt(&m, "/2/us", None);
    assert_opt(&m, "/2/partner", Some(0.0));
    assert_opt(&m, "/2/all", Some(0.0));
}

/// SPEC: "*Monthly*: commitments due in that calendar month" and "one entry per month, up to
/// and including the as-of month, in which a commitment is due". A commitment due later in the
/// as-of month is due in that month; unlike the trailing window, the monthly CFR is not bounded
/// by the as-of date, and `due` is not among the records that "do not exist yet".
#[test]
fn cfr_monthly_as_of_month_counts_commitments_due_later_that_month() {
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &commitments(&[
                ("Us", "2026-06-10", Some("2026-06-10")),
                ("Us", "2026-06-20", None), // due later in the as-of month
            ]),
        )],
    );
    let v = score(&p, "2026-06-15");
    let m = &al(&v, "x")["cfr"]["monthly"];
    assert_eq!(m.as_array().unwrap().len(), 1, "{m}");
    assert_eq!(m[0]["month"], "2026-06");
    assert_opt(m, "/0/us", Some(0.5));
    assert_opt(m, "/0/all", Some(0.5));
    // only the June 20 commitment: June still has an entry
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &commitments(&[("Us", "2026-06-20", None)]),
        )],
    );
    let v = score(&p, "2026-06-15");
    let m = &al(&v, "x")["cfr"]["monthly"];
    assert_eq!(m.as_array().unwrap().len(), 1, "{m}");
    assert_opt(m, "/0/all", Some(0.0));
}

// ---- execution speed --------------------------------------------------------------------------

#[test]
fn execution_speed_median_even_count_and_window() {
    let as_of = "2026-06-30"; // window (2026-04-01, 2026-06-30]
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &commitments(&[
                ("Us", "2026-04-01", Some("2026-04-20")), // outside (+19)
                ("Us", "2026-04-02", Some("2026-04-01")), // -1
                ("Partner", "2026-05-10", Some("2026-05-13")), // +3
                ("Us", "2026-06-01", Some("2026-06-11")), // +10
                ("Us", "2026-06-30", Some("2026-06-30")), // 0
                ("Us", "2026-06-20", Some("2026-07-01")), // done after as-of (+11)
                ("Us", "2026-06-21", None),               // not done
                ("Us", "2026-07-01", Some("2026-06-01")), // due after as-of (-30)
            ]),
        )],
    );
    let v = score(&p, as_of);
    // -1, 0, 3, 10 → (0 + 3) / 2
    assert_num(&al(&v, "x")["execution_speed_days"], 1.5);
}

#[test]
fn execution_speed_median_odd_count_and_null() {
    let p = portfolio(
        "",
        &[
            active(
                "odd",
                "2025-01-01",
                &commitments(&[
                    ("Us", "2026-06-10", Some("2026-06-08")), // -2
                    ("Us", "2026-06-11", Some("2026-06-16")), // +5
                    ("Us", "2026-06-12", Some("2026-06-13")), // +1
                ]),
            ),
            active(
                "none-done",
                "2025-01-01",
                &commitments(&[("Us", "2026-06-10", None)]),
            ),
        ],
    );
    let v = score(&p, "2026-06-30");
    assert_num(&al(&v, "odd")["execution_speed_days"], 1.0);
    assert!(al(&v, "none-done")["execution_speed_days"].is_null());
}

// ---- SAS --------------------------------------------------------------------------------------

#[test]
fn sas_per_party_mean_and_combined() {
    let p = portfolio(
        "",
        &[
            active(
                "both",
                "2025-01-01",
                &reviews(&[qsr("2026-05-20", (7, 6, 8), Some((6, 5, 7)))]),
            ),
            active(
                "ours-alone",
                "2025-01-01",
                &reviews(&[qsr("2026-05-20", (7, 7, 8), None)]),
            ),
            // tie on date: the later one in the file wins
            active(
                "tie",
                "2025-01-01",
                &reviews(&[
                    qsr("2026-05-20", (9, 9, 9), None),
                    qsr("2026-05-20", (3, 3, 3), Some((4, 4, 4))),
                ]),
            ),
        ],
    );
    let v = score(&p, "2026-06-30");
    let a = al(&v, "both");
    assert_eq!(a["sas"]["date"], "2026-05-20");
    assert_num(&a["sas"]["us"], 7.0);
    assert_num(&a["sas"]["partner"], 6.0);
    assert_num(&a["sas"]["combined"], 6.5);
    let a = al(&v, "ours-alone");
    assert_num(&a["sas"]["us"], 22.0 / 3.0);
    assert!(a["sas"]["partner"].is_null());
    assert_num(&a["sas"]["combined"], 22.0 / 3.0);
    let a = al(&v, "tie");
    assert_num(&a["sas"]["us"], 3.0);
    assert_num(&a["sas"]["partner"], 4.0);
    assert_num(&a["sas"]["combined"], 3.5);
    assert_flag(&v, "tie", "sas_exit", true);
}

// ---- win conditions ---------------------------------------------------------------------------

fn win_portfolio(wins: &[String]) -> String {
    portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &charter(
                Some("2025-01-02"),
                &format!("win_conditions: [{}],", wins.join(", ")),
            ),
        )],
    )
}

#[test]
fn win_condition_status_order() {
    let p = win_portfolio(&[
        win(None, Some("2026-12-31"), "\"2026-03\": 100.0"), // wish beats met
        win(Some(10.0), None, ""),                           // wish
        win(Some(10.0), Some("2026-03-15"), "\"2026-03\": 10.0"), // met (at target, same month as by)
        win(Some(10.0), Some("2026-03-15"), "\"2026-03\": 9.99"), // missed (just below)
        win(Some(10.0), Some("2026-03-15"), "\"2026-04\": 50.0"), // missed: after the by month
        win(Some(10.0), Some("2026-03-15"), ""), // missed: unmeasured by the deadline
        win(Some(10.0), Some("2026-12-31"), ""), // unmeasured
        win(Some(10.0), Some("2026-12-31"), "\"2026-05\": 4.0"), // on_track
        win(Some(10.0), Some("2026-12-31"), "\"2026-05\": 11.0"), // met before by
    ]);
    let v = score(&p, "2026-06-30");
    assert_eq!(
        win_statuses(&v, "x"),
        [
            "wish",
            "wish",
            "met",
            "missed",
            "missed",
            "missed",
            "unmeasured",
            "on_track",
            "met"
        ]
    );
}

#[test]
fn win_condition_missed_only_once_by_is_before_as_of() {
    let p = win_portfolio(&[
        win(Some(10.0), Some("2026-06-30"), "\"2026-06\": 5.0"),
        win(Some(10.0), Some("2026-06-30"), ""),
    ]);
    assert_eq!(
        win_statuses(&score(&p, "2026-06-30"), "x"),
        ["on_track", "unmeasured"]
    );
    assert_eq!(
        win_statuses(&score(&p, "2026-07-01"), "x"),
        ["missed", "missed"]
    );
}

#[test]
fn win_condition_actuals_after_as_of_do_not_exist_yet() {
    let p = win_portfolio(&[win(
        Some(10.0),
        Some("2026-07-31"),
        "\"2026-05\": 4.0, \"2026-06\": 6.0, \"2026-07\": 12.0",
    )]);
    let v = score(&p, "2026-06-30");
    let w = &al(&v, "x")["win_conditions"][0];
    assert_eq!(w["status"], "on_track");
    assert_num(&w["latest_actual"], 6.0);
    let v = score(&p, "2026-07-01");
    let w = &al(&v, "x")["win_conditions"][0];
    assert_eq!(w["status"], "met");
    assert_num(&w["latest_actual"], 12.0);
    // none yet
    let v = score(&p, "2026-04-30");
    let w = &al(&v, "x")["win_conditions"][0];
    assert_eq!(w["status"], "unmeasured");
    assert!(w["latest_actual"].is_null());
}

#[test]
fn win_condition_json_nulls_for_wish() {
    let p = win_portfolio(&[win(None, None, "")]);
    let v = score(&p, "2026-06-30");
    let w = &al(&v, "x")["win_conditions"][0];
    assert!(w["target"].is_null());
    assert!(w["by"].is_null());
    assert!(w["latest_actual"].is_null());
    assert_eq!(w["status"], "wish");
}

// ---- next reviews -----------------------------------------------------------------------------

fn cadence_portfolio(cadence: &str, review_date: Option<&str>) -> String {
    let rd = review_date.map_or_else(String::new, |d| format!("review_date: Some(\"{d}\"),"));
    portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &charter(Some("2025-01-02"), &format!("cadence: {cadence}, {rd}")),
        )],
    )
}

#[test]
fn next_reviews_monthly_and_quarterly_dates() {
    let p = cadence_portfolio(
        "Cadence(monthly_review_day: Some(15), quarterly_review_months: [1, 4, 7, 10])",
        Some("2026-02-01"),
    );
    let next = |as_of| score(&p, as_of)["alliances"][0]["next_reviews"].clone();
    let n = next("2026-06-14");
    assert_eq!(n["monthly"], "2026-06-15");
    assert_eq!(n["quarterly"], "2026-07-15");
    assert_eq!(n["ninety_day"], "2026-02-01");
    let n = next("2026-06-15");
    assert_eq!(n["monthly"], "2026-06-15");
    let n = next("2026-06-16");
    assert_eq!(n["monthly"], "2026-07-15");
    assert_eq!(n["quarterly"], "2026-07-15");
    let n = next("2026-07-15");
    assert_eq!(n["quarterly"], "2026-07-15");
    let n = next("2026-07-16");
    assert_eq!(n["monthly"], "2026-08-15");
    assert_eq!(n["quarterly"], "2026-10-15");
    let n = next("2026-10-16");
    assert_eq!(n["quarterly"], "2027-01-15");
    let n = next("2026-12-20");
    assert_eq!(n["monthly"], "2027-01-15");
}

#[test]
fn next_reviews_null_without_charter_and_members_null_while_unset() {
    let v = score(
        &portfolio("", &[active("x", "2025-01-01", "")]),
        "2026-06-30",
    );
    assert!(al(&v, "x")["next_reviews"].is_null());

    let p = cadence_portfolio("Cadence()", None);
    let n = score(&p, "2026-06-30")["alliances"][0]["next_reviews"].clone();
    assert!(n.is_object(), "a charter gives an object: {n}");
    assert!(n["monthly"].is_null());
    assert!(n["quarterly"].is_null());
    assert!(n["ninety_day"].is_null());

    // a day but no quarter months: quarterly unset
    let p = cadence_portfolio("Cadence(monthly_review_day: Some(3))", None);
    let n = score(&p, "2026-06-30")["alliances"][0]["next_reviews"].clone();
    assert_eq!(n["monthly"], "2026-07-03");
    assert!(n["quarterly"].is_null());

    // quarter months but no day: neither date is defined
    let p = cadence_portfolio("Cadence(quarterly_review_months: [3])", Some("2026-09-01"));
    let n = score(&p, "2026-06-30")["alliances"][0]["next_reviews"].clone();
    assert!(n["monthly"].is_null());
    assert!(n["quarterly"].is_null());
    assert_eq!(n["ninety_day"], "2026-09-01");
}

// ---- records after as-of, remaining types -----------------------------------------------------

#[test]
fn escalation_raised_after_as_of_does_not_exist_yet() {
    let as_of = "2026-06-30";
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &format!("escalations: [{}],", escalation(&plus(as_of, 1), None)),
        )],
    );
    assert_flag(&score(&p, as_of), "x", "escalation_overdue", false);
    // and once it exists, it is overdue 15 days later
    assert_flag(
        &score(&p, &plus(as_of, 16)),
        "x",
        "escalation_overdue",
        true,
    );
}

/// "Every rule ignores records dated after the as-of date": an `Audit` is a dated record, so an
/// audit recorded after as-of contributes none of its answers.
#[test]
fn audit_record_dated_after_as_of_does_not_exist_yet() {
    let as_of = "2026-06-30";
    let audit = |d: &str| {
        format!(
            "audit: Some(Audit(date: \"{d}\", original_goal: \"Goal\", written_agreement: true, last_structured_review: Some(\"2026-06-01\"), recent_result: Some(Measure(value: 1.0, date: \"2026-06-01\")))),"
        )
    };
    let p = portfolio(
        "",
        &[
            active("on-as-of", "2025-01-01", &audit(as_of)),
            active("after", "2025-01-01", &audit(&plus(as_of, 1))),
        ],
    );
    let v = score(&p, as_of);
    assert_eq!(al(&v, "on-as-of")["audit"]["answers_yes"], 4);
    assert_eq!(al(&v, "on-as-of")["audit"]["state"], "alive");
    assert_eq!(al(&v, "after")["audit"]["answers_yes"], 0);
    assert_eq!(al(&v, "after")["audit"]["state"], "dead");
}

#[test]
fn alliance_share_null_when_latest_brand_revenue_is_zero() {
    let p = portfolio(
        "\"2026-04\": 100000.0, \"2026-05\": 0.0",
        &[active(
            "x",
            "2025-01-01",
            "revenue: { \"2026-04\": 1000.0 },",
        )],
    );
    let v = score(&p, "2026-06-15");
    assert_eq!(v["portfolio"]["latest_month"], "2026-05");
    assert!(
        v["portfolio"]["alliance_share"].is_null(),
        "{}",
        v["portfolio"]
    );
    let v = score(&p, "2026-04-30");
    assert_num(&v["portfolio"]["alliance_share"], 0.01);
}

#[test]
fn alignment_exit_counts_two_qsrs_on_the_same_date() {
    let p = portfolio(
        "",
        &[active(
            "x",
            "2025-01-01",
            &reviews(&[
                qsr("2026-01-10", (9, 9, 9), None),
                qsr("2026-05-01", (5, 5, 5), None),
                qsr("2026-05-01", (4, 4, 4), None),
            ]),
        )],
    );
    assert_flag(&score(&p, "2026-06-15"), "x", "alignment_exit", true);
}

#[test]
fn wish_is_raised_for_winding_down_but_not_proposed_or_ended() {
    let c = charter(
        Some("2025-01-02"),
        &format!("win_conditions: [{}],", win(None, None, "")),
    );
    let p = portfolio(
        "",
        &[
            alliance("wd", "WindingDown", "2025-01-01", &c),
            alliance("pr", "Proposed", "2025-01-01", &c),
            alliance("en", "Ended", "2025-01-01", &c),
        ],
    );
    let v = score(&p, "2026-06-30");
    assert_flag(&v, "wd", "wish", true);
    assert_flag(&v, "pr", "wish", false);
    assert_flag(&v, "en", "wish", false);
    assert_eq!(win_statuses(&v, "pr"), ["wish"]);
}

#[test]
fn qsr_overdue_review_date_rule_ignores_a_qsr_after_as_of() {
    let as_of = "2026-06-30";
    let p = portfolio(
        "",
        &[active(
            "x",
            &minus(as_of, 50),
            &format!(
                "{} {}",
                charter(Some("2026-05-12"), "review_date: Some(\"2026-06-20\"),"),
                reviews(&[qsr(&plus(as_of, 1), (7, 7, 7), None)])
            ),
        )],
    );
    assert_flag(&score(&p, as_of), "x", "qsr_overdue", true);
    assert_flag(&score(&p, &plus(as_of, 1)), "x", "qsr_overdue", false);
}

#[test]
fn at_most_is_met_at_or_below_the_target() {
    let as_of = "2026-06-30";
    let case = |id: &str, direction: &str, actual: f64, by: &str| {
        active(
            id,
            "2026-01-01",
            &charter(
                None,
                &format!(
                    "win_conditions: [{}],",
                    win_dir(direction, 4.5, by, &format!("\"2026-05\": {actual:?}"))
                ),
            ),
        )
    };
    let p = portfolio(
        "",
        &[
            case("most-equal", "AtMost", 4.5, "2026-12-31"),
            case("most-below", "AtMost", 4.49, "2026-12-31"),
            case("most-above", "AtMost", 4.51, "2026-12-31"),
            case("most-above-past", "AtMost", 5.1, "2026-05-31"),
            case("least-equal", "AtLeast", 4.5, "2026-12-31"),
            case("least-below", "AtLeast", 4.49, "2026-12-31"),
        ],
    );
    let v = score(&p, as_of);
    for (id, status, direction) in [
        ("most-equal", "met", "AtMost"),
        ("most-below", "met", "AtMost"),
        ("most-above", "on_track", "AtMost"),
        ("most-above-past", "missed", "AtMost"),
        ("least-equal", "met", "AtLeast"),
        ("least-below", "on_track", "AtLeast"),
    ] {
        assert_eq!(win_statuses(&v, id), [status], "{id}");
        assert_eq!(
            al(&v, id)["win_conditions"][0]["direction"],
            direction,
            "{id}"
        );
    }
    // Goal attainment counts the AtMost outcomes the same way: 3 met, 1 missed.
    assert_num(&v["portfolio"]["goal_attainment"], 0.75);
}

#[test]
fn alliance_share_is_never_negative_zero_nor_overflows() {
    // No alliance has a value for the latest month: 0, not -0.
    let p = portfolio("\"2026-05\": 1000.0", &[active("x", "2026-01-01", "")]);
    let v = score(&p, "2026-06-30");
    let share = v["portfolio"]["alliance_share"].as_f64().expect("a number");
    assert!(share == 0.0 && share.is_sign_positive(), "{share}");
    // Huge finite values: the ratio, not infinity (null in JSON).
    let p = portfolio(
        "\"2026-05\": 1e308",
        &[
            active("a", "2026-01-01", "revenue: { \"2026-05\": 9e307 },"),
            active("b", "2026-01-01", "revenue: { \"2026-05\": 9e307 },"),
        ],
    );
    let v = score(&p, "2026-06-30");
    assert_num(&v["portfolio"]["alliance_share"], 1.8);
}

#[test]
fn next_review_past_year_9999_is_null() {
    let p = portfolio(
        "",
        &[active(
            "x",
            "2026-01-01",
            &charter(
                None,
                "cadence: Cadence(monthly_review_day: Some(15), quarterly_review_months: [1]),",
            ),
        )],
    );
    let v = score(&p, "9999-12-31");
    assert_eq!(al(&v, "x")["next_reviews"]["monthly"], Value::Null);
    assert_eq!(al(&v, "x")["next_reviews"]["quarterly"], Value::Null);
    let v = score(&p, "9999-12-10");
    assert_eq!(al(&v, "x")["next_reviews"]["monthly"], "9999-12-15");
}
