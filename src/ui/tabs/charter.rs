//! The Charter tab: the guided 20-minute charter of the current alliance, one section a step
//! (partner & type → win conditions → cadence → KPI dashboard → escalation path → 90-day review
//! → sign-off), with progress, completeness and an elapsed timer against 20:00.
//!
//! Each step is a [`Form`] built from the model. Every edited field is written back at once
//! through `Document::edit_current`, so flags and undo follow each keystroke; the form is
//! rebuilt from the model only when something else changed it (undo, another tab).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::{Confirm, Cx, Outcome, Tab, TabView, ViewCtx};
use crate::app::Effect;
use crate::app::action::Action;
use crate::app::clock::{Clock, format_duration};
use crate::app::document::Document;
use crate::app::keymap::{Key, Keymap};
use crate::charter::edit::{self, CharterField, ContactField, FieldValue, ValueKind, WinField};
use crate::charter::{self, CHARTER_MINUTES, Section};
use crate::model::{Alliance, AllianceKind, Charter, Contact, Direction, Party, WinCondition};
use crate::ui::form::{Form, FormEvent};
use crate::ui::keys::{KeyFromEvent, KeymapEvents};

/// Most win conditions and contacts the guided form shows (a charter is one page).
pub const MAX_WINS: usize = 8;
pub const MAX_CONTACTS: usize = 6;

const PARTIES: [&str; 2] = ["Us", "Partner"];

/// The direction choice, in [`Direction::ALL`] order.
const DIRECTIONS: [&str; 2] = ["≥ at least the target", "≤ at most the target"];

fn direction_index(d: Direction) -> usize {
    Direction::ALL.iter().position(|x| *x == d).unwrap_or(0)
}

const CONFIRM_REMOVE: u32 = 1;

fn party_index(p: Party) -> usize {
    match p {
        Party::Us => 0,
        Party::Partner => 1,
    }
}

fn party_at(i: usize) -> Party {
    if i == 1 { Party::Partner } else { Party::Us }
}

/// Which list a focused entry belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Win,
    Contact,
}

/// When the timer for one alliance's charter started, and stopped at signing.
#[derive(Clone, Copy, Debug)]
struct Timer {
    started: Duration,
    stopped: Option<Duration>,
}

/// What the form on screen was built from; a difference means rebuild.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shown {
    id: String,
    step: Section,
    wins: usize,
    contacts: usize,
    revision: u64,
}

#[derive(Debug, Default)]
pub struct CharterTab {
    pub step: StepState,
    form: Option<Form<CharterField>>,
    /// A field has focus and takes the keys.
    editing: bool,
    shown: Option<Shown>,
    timers: HashMap<String, Timer>,
    ticking: bool,
    active: bool,
    has_alliance: bool,
    /// Ids this tab derived from a partner name in place of a `new-N` placeholder: they keep
    /// following the name while it is typed. Any other id is never changed.
    derived: HashSet<String>,
    /// The step each alliance was left at: an alliance never shown (a new one, a promoted
    /// intake) opens at step 1, browsing.
    steps: HashMap<String, Section>,
    /// A step move waiting on the "keep editing / discard this change" question.
    pending_step: Option<isize>,
}

/// The current step, defaulting to the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepState(pub Section);

impl Default for StepState {
    fn default() -> Self {
        Self(Section::Partner)
    }
}

impl CharterTab {
    /// Follow the document: rebuild the step's form when the alliance, step or entries changed
    /// or the model was edited elsewhere (undo), and run the timer while the tab is shown.
    pub fn sync(&mut self, doc: &Document, clock: &Clock, active: bool) {
        if active && !self.active {
            // Arriving on the tab: browse first, so number keys still switch tabs.
            self.editing = false;
        }
        self.active = active;
        self.has_alliance = doc.current_alliance().is_some();
        let Some(alliance) = doc.current_alliance() else {
            self.form = None;
            self.shown = None;
            self.editing = false;
            self.ticking = false;
            return;
        };
        // Another alliance: remember where this one was left, and open that one where it was
        // left, or at its first step — never editing (typing goes into the field one sees).
        if let Some(old) = self.shown.as_ref().map(|s| s.id.clone())
            && old != alliance.id
        {
            self.steps.insert(old, self.step.0);
            self.step = StepState(
                self.steps
                    .get(&alliance.id)
                    .copied()
                    .unwrap_or(Section::Partner),
            );
            self.editing = false;
            self.pending_step = None;
        }
        let signed = alliance.charter.as_ref().and_then(|c| c.signed).is_some();
        let now = clock.now();
        if active {
            let timer = self.timers.entry(alliance.id.clone()).or_insert(Timer {
                started: now,
                stopped: None,
            });
            match (signed, timer.stopped) {
                (true, None) => timer.stopped = Some(now),
                (false, Some(_)) => timer.stopped = None,
                _ => {}
            }
        }
        self.ticking = active
            && self
                .timers
                .get(&alliance.id)
                .is_some_and(|t| t.stopped.is_none());
        let shown = Shown {
            id: alliance.id.clone(),
            step: self.step.0,
            wins: alliance
                .charter
                .as_ref()
                .map_or(0, |c| c.win_conditions.len()),
            contacts: alliance
                .charter
                .as_ref()
                .map_or(0, |c| c.escalation.contacts.len()),
            revision: doc.revision,
        };
        if self.shown.as_ref() != Some(&shown) {
            let focus = match &self.shown {
                Some(s) if s.id == shown.id && s.step == shown.step => {
                    self.form.as_ref().map_or(0, Form::focus_index)
                }
                _ => 0,
            };
            let mut form = build(self.step.0, alliance, doc.as_of);
            form = form.currency(&doc.portfolio.currency);
            form.set_focus(focus);
            messages(&mut form, alliance);
            self.form = Some(form);
            self.shown = Some(shown);
        }
        let editing = self.editing;
        if let Some(f) = self.form.as_mut()
            && f.is_editing() != editing
        {
            f.set_editing(editing);
        }
    }

    /// The elapsed charter time of the current alliance.
    fn elapsed(&self, doc: &Document, clock: &Clock) -> Option<Duration> {
        let a = doc.current_alliance()?;
        let t = self.timers.get(&a.id)?;
        Some(
            t.stopped
                .unwrap_or_else(|| clock.now())
                .saturating_sub(t.started),
        )
    }

    pub fn is_editing(&self) -> bool {
        self.editing
    }

    /// Start or stop editing; the form shows which.
    fn set_editing(&mut self, on: bool) {
        self.editing = on;
        if let Some(f) = self.form.as_mut() {
            f.set_editing(on);
        }
    }

    fn go(&mut self, step: Section, cx: &mut Cx) {
        self.step = StepState(step);
        self.sync(cx.doc, cx.clock, true);
    }

    fn step_by(&mut self, delta: isize, cx: &mut Cx) -> Outcome {
        // A field with unreadable text is never left silently: ask first.
        if let Some(f) = self.form.as_mut()
            && !f.may_leave()
        {
            self.pending_step = Some(delta);
            return Outcome::Handled;
        }
        // Editing never carries over into another step.
        self.set_editing(false);
        let i = self.step.0.index() as isize + delta;
        let Ok(i) = usize::try_from(i) else {
            return Outcome::Handled;
        };
        if let Some(step) = Section::ALL.get(i) {
            self.go(*step, cx);
        }
        Outcome::Handled
    }

    /// The id the current alliance takes when its partner is renamed to `partner`
    /// ([`edit::follow_id`]; this tab remembers which ids it derived).
    fn follow_id(&self, doc: &Document, partner: &str) -> Option<String> {
        let a = doc.current_alliance()?;
        edit::follow_id(
            &doc.portfolio,
            doc.current,
            self.derived.contains(&a.id),
            partner,
        )
    }

    /// Write the field that changed into the model (one undoable edit) and refresh messages.
    fn apply(&mut self, key: CharterField, cx: &mut Cx) {
        let Some(form) = self.form.as_ref() else {
            return;
        };
        // A value the field cannot hold (a typo, a day out of range, an emptied "resolve
        // within") leaves the model as it was; the message beside the field says so.
        if let Some(value) = form_value(form, key).filter(|v| edit::accepted(key, v)) {
            let label = format!(
                "charter: {}",
                form.label(key).unwrap_or("field").to_lowercase()
            );
            let today = cx.doc.as_of;
            // Naming the partner of a new alliance names its id too, in the same edit.
            let id = match &value {
                FieldValue::Text(partner) if key == CharterField::Partner => {
                    self.follow_id(cx.doc, partner)
                }
                _ => None,
            };
            let old = cx.doc.current_alliance().map(|a| a.id.clone());
            cx.doc.edit_current(label, |a| {
                edit::write_field(a, key, &value, today);
                if let Some(id) = &id {
                    a.id.clone_from(id);
                }
            });
            if let (Some(old), Some(new)) = (old, id)
                && old != new
            {
                self.renamed(&old, &new);
            }
        }
        if let (Some(form), Some(a)) = (self.form.as_mut(), cx.doc.current_alliance()) {
            // Naming the metric may have set the direction (a cost is met at or below).
            if let CharterField::Win(i, WinField::Metric) = key
                && let Some(w) = a.charter.as_ref().and_then(|c| c.win_conditions.get(i))
            {
                form.set_choice(
                    CharterField::Win(i, WinField::Direction),
                    direction_index(w.direction),
                );
            }
            messages(form, a);
        }
        // Our own edit: the form already shows it, so do not rebuild.
        if let Some(shown) = self.shown.as_mut() {
            shown.revision = cx.doc.revision;
        }
        self.sync(cx.doc, cx.clock, true);
    }

    /// The current alliance's id changed under the form: the timer and the form go with it.
    fn renamed(&mut self, old: &str, new: &str) {
        if let Some(t) = self.timers.remove(old) {
            self.timers.insert(new.to_owned(), t);
        }
        if !charter::is_placeholder_id(new) {
            self.derived.insert(new.to_owned());
        }
        if let Some(shown) = self.shown.as_mut().filter(|s| s.id == old) {
            new.clone_into(&mut shown.id);
        }
        if let Some(step) = self.steps.remove(old) {
            self.steps.insert(new.to_owned(), step);
        }
    }

    /// Add a win condition or a contact on the steps that list them.
    fn add_entry(&mut self, cx: &mut Cx) -> Outcome {
        let today = cx.doc.as_of;
        let step = self.step.0;
        let mut added = None;
        cx.doc.edit_current(
            match step {
                Section::Escalation => "charter: add contact",
                _ => "charter: add win condition",
            },
            |a| {
                let c = a.charter.get_or_insert_with(Charter::default);
                match step {
                    Section::WinConditions if c.win_conditions.len() < MAX_WINS => {
                        c.win_conditions.push(WinCondition {
                            by: Some(charter::default_review_date(None, today)),
                            ..WinCondition::default()
                        });
                        added = Some(CharterField::Win(
                            c.win_conditions.len() - 1,
                            WinField::Metric,
                        ));
                    }
                    Section::Escalation if c.escalation.contacts.len() < MAX_CONTACTS => {
                        c.escalation.contacts.push(Contact::default());
                        added = Some(CharterField::Contact(
                            c.escalation.contacts.len() - 1,
                            ContactField::Name,
                        ));
                    }
                    _ => {}
                }
            },
        );
        self.sync(cx.doc, cx.clock, true);
        match added {
            Some(key) => {
                if let Some(f) = self.form.as_mut() {
                    f.focus(key);
                }
                self.set_editing(true);
                Outcome::Handled
            }
            None if matches!(step, Section::WinConditions | Section::Escalation) => {
                Outcome::Message("The one-page charter holds no more here".into())
            }
            None => Outcome::Message("Add works on the win conditions and escalation steps".into()),
        }
    }

    /// The list entry the focused field belongs to.
    fn focused_entry(&self) -> Option<(Entry, usize)> {
        match self.form.as_ref()?.focused()? {
            CharterField::Win(i, _) => Some((Entry::Win, i)),
            CharterField::Contact(i, _) => Some((Entry::Contact, i)),
            _ => None,
        }
    }

    /// Move the focused win condition or contact one place up (`up`) or down: one undoable
    /// edit, and the focus follows the entry (same field, new place).
    fn move_entry(&mut self, up: bool, cx: &mut Cx) -> Outcome {
        let Some((kind, i)) = self.focused_entry() else {
            return Outcome::Message("Focus a win condition or contact to move it".into());
        };
        let (noun, len) = {
            let c = cx.doc.current_alliance().and_then(|a| a.charter.as_ref());
            if kind == Entry::Win {
                let n = c.map_or(0, |c| c.win_conditions.len());
                ("win condition", n.min(MAX_WINS))
            } else {
                let n = c.map_or(0, |c| c.escalation.contacts.len());
                ("contact", n.min(MAX_CONTACTS))
            }
        };
        // Only among the entries on screen, so a moved entry never disappears from view.
        let target = if up { i.checked_sub(1) } else { Some(i + 1) };
        let Some(j) = target.filter(|j| *j < len) else {
            let edge = if up { "first" } else { "last" };
            return Outcome::Message(format!("The {noun} is already the {edge} one"));
        };
        let field = self.form.as_ref().and_then(Form::focused);
        let label = format!(
            "charter: move {noun} {} {}",
            i + 1,
            if up { "up" } else { "down" }
        );
        cx.doc.edit_current(label, |a| {
            if let Some(c) = a.charter.as_mut() {
                if kind == Entry::Win {
                    if j < c.win_conditions.len() {
                        c.win_conditions.swap(i, j);
                    }
                } else if j < c.escalation.contacts.len() {
                    c.escalation.contacts.swap(i, j);
                }
            }
        });
        self.sync(cx.doc, cx.clock, true);
        if let (Some(f), Some(field)) = (self.form.as_mut(), field) {
            f.focus(field.at(j));
        }
        Outcome::Handled
    }

    fn ask_remove(&self, cx: &Cx) -> Outcome {
        let Some((kind, i)) = self.focused_entry() else {
            return Outcome::Message("Focus a win condition or contact to remove it".into());
        };
        let what = match (
            kind,
            cx.doc.current_alliance().and_then(|a| a.charter.as_ref()),
        ) {
            (Entry::Win, Some(c)) => c.win_conditions.get(i).map(|w| w.metric.clone()),
            (_, Some(c)) => c.escalation.contacts.get(i).map(|k| k.name.clone()),
            _ => None,
        };
        let noun = if kind == Entry::Win {
            "win condition"
        } else {
            "contact"
        };
        let name = what
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "(unnamed)".into());
        Outcome::Confirm(Confirm {
            prompt: format!("Remove {noun} {} “{name}” from the charter?", i + 1),
            token: CONFIRM_REMOVE,
        })
    }

    fn write_document(cx: &Cx) -> Outcome {
        let doc = &cx.doc;
        let Some(a) = doc.current_alliance() else {
            return Outcome::Handled;
        };
        let name = format!("{}-charter.md", a.id);
        let path = doc
            .path()
            .and_then(|p| p.parent())
            .map_or_else(|| PathBuf::from(&name), |dir| dir.join(&name));
        match crate::export::markdown::charter_document(&doc.portfolio, &doc.scores, &a.id) {
            Ok(contents) => Outcome::Effect(Effect::WriteFile {
                done: format!("Wrote the charter to {}", path.display()),
                path,
                contents,
            }),
            Err(e) => Outcome::Message(format!("Could not write the charter: {e}")),
        }
    }

    /// Enter on a field: accept a default, then go to the next field or the next step.
    fn submit(&mut self, cx: &mut Cx) -> Outcome {
        let Some(form) = self.form.as_mut() else {
            return Outcome::Handled;
        };
        let review = CharterField::ReviewDate;
        if form.focused() == Some(review) && form.get_date(review).is_none() {
            let signed = cx
                .doc
                .current_alliance()
                .and_then(|a| a.charter.as_ref())
                .and_then(|c| c.signed);
            let d = charter::default_review_date(signed, cx.doc.as_of);
            form.set_text(review, &d.to_string());
            self.apply(review, cx);
            return Outcome::Handled;
        }
        if form.at_last() {
            // The last field of a step: editing stops here and never carries into the next
            // step, so nothing typed lands in a field one has not seen.
            self.set_editing(false);
            if self.step.0 == Section::SignOff {
                let write = key_name(cx.keymap, Action::WriteDoc, false)
                    .map_or_else(String::new, |k| {
                        format!(", {k} writes the one-page document")
                    });
                return Outcome::Message(format!(
                    "Charter walked through: {} saves{write}",
                    cx.keymap.describe(Action::Save)
                ));
            }
            let next = key_name(cx.keymap, Action::Right, false).unwrap_or_else(|| "→".into());
            let edit = key_name(cx.keymap, Action::Open, false).unwrap_or_else(|| "Enter".into());
            return Outcome::Message(format!(
                "End of step {}: stopped editing — {next} next step, {edit} edits",
                self.step.0.index() + 1
            ));
        }
        form.focus_next();
        Outcome::Handled
    }

    fn create_alliance(cx: &mut Cx) -> Outcome {
        let alliance =
            charter::new_alliance(&cx.doc.portfolio, AllianceKind::CoMarketing, cx.doc.as_of);
        let id = alliance.id.clone();
        let n = cx.doc.portfolio.alliances.len();
        cx.doc
            .insert_alliance(n, alliance, format!("add alliance {id}"));
        Outcome::Message(format!(
            "Added alliance {id}: Enter edits the partner's name"
        ))
    }
}

/// The value a field shows, as the model takes it; `None` while a number or date field does
/// not read as one: its value is unknown, not empty.
fn form_value(form: &Form<CharterField>, key: CharterField) -> Option<FieldValue> {
    if form.has_parse_error(key) {
        return None;
    }
    Some(match key.value_kind() {
        ValueKind::Kind => {
            let i = form.get_choice(key);
            FieldValue::Kind(AllianceKind::ALL[i.min(AllianceKind::ALL.len() - 1)])
        }
        ValueKind::Party => FieldValue::Party(party_at(form.get_choice(key))),
        ValueKind::Direction => FieldValue::Direction(
            Direction::ALL[form.get_choice(key).min(Direction::ALL.len() - 1)],
        ),
        ValueKind::Number => FieldValue::Number(form.get_number(key)),
        ValueKind::Date => FieldValue::Date(form.get_date(key)),
        ValueKind::Text => FieldValue::Text(form.get_text(key)),
    })
}

/// The form of one step, filled from the model.
fn build(step: Section, a: &Alliance, today: NaiveDate) -> Form<CharterField> {
    let empty = Charter::default();
    let c = a.charter.as_ref().unwrap_or(&empty);
    let form = Form::typed(step.title());
    match step {
        Section::Partner => {
            let kinds: Vec<&str> = AllianceKind::ALL.iter().map(|k| k.label()).collect();
            let kind = AllianceKind::ALL
                .iter()
                .position(|k| *k == a.kind)
                .unwrap_or(0);
            form.text(CharterField::Partner, "Partner", &a.partner)
                .choice(CharterField::Kind, "Alliance type", &kinds, kind)
                .required(CharterField::Partner)
                .help(
                    CharterField::Partner,
                    "The partner's name as both sides use it",
                )
                .help(
                    CharterField::Kind,
                    "←/→ choose; an untouched template follows the type",
                )
        }
        Section::WinConditions => {
            let mut form = form;
            for (i, w) in c.win_conditions.iter().take(MAX_WINS).enumerate() {
                let [metric, direction, target, unit, by, owner] =
                    WinField::ALL.map(|f| CharterField::Win(i, f));
                form = form
                    .heading(&format!("Win condition {}", i + 1))
                    .text(metric, "Metric", &w.metric)
                    .choice(
                        direction,
                        "Met when",
                        &DIRECTIONS,
                        direction_index(w.direction),
                    )
                    .number(target, "Target", "", w.target)
                    .text(unit, "Unit", &w.unit)
                    .date(by, "Deadline", w.by)
                    .choice(owner, "Owner", &PARTIES, party_index(w.owner))
                    .required(metric)
                    .required(target)
                    .required(by)
                    .help(metric, "What is measured, e.g. Referral revenue")
                    .help(
                        direction,
                        "←/→ ≥ the target (revenue) or ≤ it (cost, delay); follows the metric until chosen",
                    )
                    .help(
                        target,
                        "The number that counts as a win; without it, a wish",
                    )
                    .help(unit, "e.g. USD/month, stores, %")
                    .help(
                        by,
                        "YYYY-MM-DD; t today, + adds 90 days; without it, a wish",
                    )
                    .help(owner, "←/→ who delivers it");
            }
            form
        }
        Section::Cadence => form
            .text(
                CharterField::Channel,
                "Weekly update",
                &c.cadence.weekly_channel,
            )
            .number(
                CharterField::MonthlyReviewDay,
                "Monthly review day",
                "of the month (1–28)",
                c.cadence.monthly_review_day.map(f64::from),
            )
            .text(
                CharterField::QuarterMonths,
                "Quarter months",
                &charter::format_months(&c.cadence.quarterly_review_months),
            )
            .required(CharterField::Channel)
            .required(CharterField::MonthlyReviewDay)
            .required(CharterField::QuarterMonths)
            .help(
                CharterField::Channel,
                "Where the weekly async update happens, e.g. #glow-northwind",
            )
            .help(
                CharterField::MonthlyReviewDay,
                "Day of the monthly business review, 1–28",
            )
            .help(
                CharterField::QuarterMonths,
                "Months of the quarterly strategic review: Jan, Apr, Jul, Oct or 1,4,7,10",
            ),
        Section::Dashboard => form
            .text(CharterField::Dashboard, "Dashboard", &c.dashboard)
            .required(CharterField::Dashboard)
            .help(
                CharterField::Dashboard,
                "Where both partners see the same numbers (ARCR, CFR, SAS): a URL or place",
            ),
        Section::Escalation => {
            let mut form = form;
            for (i, k) in c.escalation.contacts.iter().take(MAX_CONTACTS).enumerate() {
                let [name, role, party, email, authority] =
                    ContactField::ALL.map(|f| CharterField::Contact(i, f));
                form = form
                    .heading(&format!("Contact {}", i + 1))
                    .text(name, "Name", &k.name)
                    .text(role, "Role", &k.role)
                    .choice(party, "Side", &PARTIES, party_index(k.party))
                    .text(email, "Email", &k.email)
                    .text(authority, "Authority", &k.authority)
                    .required(name)
                    .help(authority, "What this person may decide alone");
            }
            form.heading("Triggers and timeline")
                .multiline(
                    CharterField::Triggers,
                    "Triggers",
                    &c.escalation.triggers.join("\n"),
                )
                .number(
                    CharterField::ResolutionDays,
                    "Resolve within",
                    "days",
                    Some(f64::from(c.escalation.resolution_days)),
                )
                .required(CharterField::Triggers)
                .help(
                    CharterField::Triggers,
                    "One trigger a line; Ctrl-Enter, Alt-Enter or F10 moves on",
                )
        }
        Section::ReviewDate => {
            let default = charter::default_review_date(c.signed, today);
            form.date(CharterField::ReviewDate, "90-day review", c.review_date)
                .required(CharterField::ReviewDate)
                .help(
                    CharterField::ReviewDate,
                    &format!("Enter on an empty field takes {default}; t today, + adds 90 days"),
                )
        }
        Section::SignOff => form
            .date(CharterField::Signed, "Signed on", c.signed)
            .required(CharterField::Signed)
            .help(
                CharterField::Signed,
                "t signs today; the 90-day review then defaults to signing + 90 days",
            ),
    }
}

/// Chords that stand in, while a field takes the letters, for the actions bound to letters
/// (`a` add, `d` remove, `w` write) — unless the keymap gives the chord its own meaning.
const FIELD_CHORDS: [(char, Action); 3] = [
    ('n', Action::Add),
    ('d', Action::Delete),
    ('e', Action::WriteDoc),
];

/// What a key means to the tab while a field has focus: its keymap action when the key is not
/// typed text (`PgDn`, or a user's F-key), else one of the [`FIELD_CHORDS`].
fn field_action(key: &KeyEvent, keymap: &Keymap) -> Option<Action> {
    if Key::from_event(key)?.is_typed() {
        return None;
    }
    if let Some(action) = keymap.action(key) {
        return Some(action);
    }
    if key.modifiers != KeyModifiers::CONTROL {
        return None;
    }
    FIELD_CHORDS
        .iter()
        .find(|(c, _)| key.code == KeyCode::Char(*c))
        .map(|(_, a)| *a)
}

/// The key to show for `action`, from the live keymap: its first key while browsing; while a
/// field has focus, its first key that is not typed text, else its stand-in chord.
fn key_name(keymap: &Keymap, action: Action, editing: bool) -> Option<String> {
    let keys = keymap.keys_for(action);
    let found = if editing {
        keys.iter().find(|k| !k.is_typed())
    } else {
        keys.first()
    };
    if let Some(k) = found {
        return Some(k.to_string());
    }
    if !editing {
        return None;
    }
    let (c, _) = FIELD_CHORDS.iter().find(|(_, a)| *a == action)?;
    let chord = KeyEvent::new(KeyCode::Char(*c), KeyModifiers::CONTROL);
    if keymap.action(&chord).is_some() {
        return None;
    }
    Key::from_event(&chord).map(|k| k.to_string())
}

/// Two keys as one hint: `↑↓` for the arrows, else `PgUp/PgDn`.
fn key_pair(keymap: &Keymap, a: Action, b: Action, editing: bool) -> Option<String> {
    let (a, b) = (key_name(keymap, a, editing)?, key_name(keymap, b, editing)?);
    Some(if a == "↑" && b == "↓" {
        "↑↓".to_owned()
    } else {
        format!("{a}/{b}")
    })
}

/// The charter's own key line, from the live keymap; the form's Tab, Enter and Esc are fixed.
fn key_line(keymap: &Keymap, editing: bool, list: bool) -> Vec<String> {
    let named =
        |action, what: &str| key_name(keymap, action, editing).map(|k| format!("{k} {what}"));
    let reorder = list
        .then(|| reorder_keys(keymap, editing))
        .flatten()
        .map(|k| format!("{k} move"));
    let mut parts = Vec::new();
    if editing {
        parts.push("✎ EDITING".to_owned());
        parts.extend(
            key_pair(keymap, Action::PageUp, Action::PageDown, true).map(|k| format!("{k} step")),
        );
        parts.extend(["Tab field".to_owned(), "Enter next".to_owned()]);
        parts.extend(named(Action::Add, "add"));
        parts.extend(named(Action::Delete, "remove"));
        parts.extend(reorder);
        parts.push("Esc done".to_owned());
        parts.extend(named(Action::WriteDoc, "write .md"));
    } else {
        parts.push("BROWSING".to_owned());
        parts.extend(
            key_pair(keymap, Action::Left, Action::Right, false).map(|k| format!("{k} step")),
        );
        parts.extend(
            key_pair(keymap, Action::Up, Action::Down, false).map(|k| format!("{k} field")),
        );
        parts.extend(named(Action::Open, "edit"));
        parts.extend(named(Action::Add, "add"));
        parts.extend(named(Action::Delete, "remove"));
        parts.extend(reorder);
        parts.extend(named(Action::WriteDoc, "write .md"));
    }
    parts
}

/// The keys that reorder list entries, from the live keymap: letters while browsing (`K/J`),
/// a modified arrow while a field takes the letters (`Alt-↑↓`). `None` when unbound.
fn reorder_keys(keymap: &Keymap, editing: bool) -> Option<String> {
    let pick = |action| {
        let keys = keymap.keys_for(action);
        let found = if editing {
            keys.iter().find(|k| !k.is_typed())
        } else {
            keys.iter().find(|k| k.is_typed())
        };
        found.or(keys.first()).map(ToString::to_string)
    };
    let (up, down) = (pick(Action::MoveUp)?, pick(Action::MoveDown)?);
    // "Alt-↑" and "Alt-↓" share their modifier: show it once.
    Some(match (up.strip_suffix('↑'), down.strip_suffix('↓')) {
        (Some(a), Some(b)) if a == b => format!("{a}↑↓"),
        _ => format!("{up}/{down}"),
    })
}

/// A plain warning when the file holds more entries than the one-page form shows; the rest are
/// kept untouched (edits address entries by position, and only the first ones are shown).
fn hidden_note(step: Section, a: &Alliance) -> Option<String> {
    let c = a.charter.as_ref()?;
    let (n, max, noun) = match step {
        Section::WinConditions => (c.win_conditions.len(), MAX_WINS, "win conditions"),
        Section::Escalation => (c.escalation.contacts.len(), MAX_CONTACTS, "contacts"),
        _ => return None,
    };
    (n > max).then(|| {
        let rest = n - max;
        let kept = if rest == 1 {
            "the other one is kept".to_owned()
        } else {
            format!("the other {rest} are kept")
        };
        format!("Showing {max} of {n} {noun}; {kept} — edit the file to change them")
    })
}

/// The read-only id line of the first step.
fn id_note(id: &str) -> String {
    if charter::is_placeholder_id(id) {
        format!(" id: {id} — set from the partner's name; used by export --alliance")
    } else {
        format!(" id: {id} — used by export --alliance and file names")
    }
}

/// Messages beside fields that only the model can judge (wishes, ranges).
fn messages(form: &mut Form<CharterField>, a: &Alliance) {
    let empty = Charter::default();
    let c = a.charter.as_ref().unwrap_or(&empty);
    for (i, w) in c.win_conditions.iter().take(MAX_WINS).enumerate() {
        let target = CharterField::Win(i, WinField::Target);
        let by = CharterField::Win(i, WinField::By);
        form.set_error(
            target,
            w.target.is_none().then(|| "wish: no number yet".to_owned()),
        );
        form.set_error(
            by,
            w.by.is_none().then(|| "wish: no deadline yet".to_owned()),
        );
    }
    // A rejected value is not stored: say what the model still holds.
    let day = form
        .get_number(CharterField::MonthlyReviewDay)
        .filter(|n| !edit::valid_day(*n))
        .map(|_| match c.cadence.monthly_review_day {
            Some(d) => format!("a day 1–28; keeps {d}"),
            None => "a day 1–28".to_owned(),
        });
    form.set_error(CharterField::MonthlyReviewDay, day);
    let months = form.get_text(CharterField::QuarterMonths);
    form.set_error(
        CharterField::QuarterMonths,
        charter::parse_months(&months).err(),
    );
    let days = c.escalation.resolution_days;
    let resolution = match form.get_number(CharterField::ResolutionDays) {
        _ if form.has_parse_error(CharterField::ResolutionDays) => None,
        None => Some(format!("empty: keeps {days} days")),
        Some(n) => (!edit::valid_resolution_days(n)).then(|| format!("1–365 days; keeps {days}")),
    };
    form.set_error(CharterField::ResolutionDays, resolution);
    for (i, k) in c.escalation.contacts.iter().take(MAX_CONTACTS).enumerate() {
        let email = &k.email;
        form.set_error(
            CharterField::Contact(i, ContactField::Email),
            (!email.is_empty() && !email.contains('@')).then(|| "not an email".to_owned()),
        );
    }
}

impl TabView for CharterTab {
    fn sync_view(&mut self, cx: &super::SyncCx) {
        self.sync(cx.doc, cx.clock, cx.active);
    }

    fn captures_input(&self) -> bool {
        self.editing && self.form.is_some()
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        self.sync(cx.doc, cx.clock, true);
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        // Undo and redo are the shell's (u / Ctrl-r): a chord the form ignores goes on to it.
        match field_action(key, cx.keymap) {
            Some(Action::PageDown) => return self.step_by(1, cx),
            Some(Action::PageUp) => return self.step_by(-1, cx),
            Some(Action::Add) => return self.add_entry(cx),
            Some(Action::Delete) => return self.ask_remove(cx),
            Some(Action::WriteDoc) => return Self::write_document(cx),
            _ => {}
        }
        let today = cx.doc.as_of;
        let Some(form) = self.form.as_mut() else {
            return Outcome::Ignored;
        };
        let event = form.handle_key(key, today);
        let resumed = form.take_resumed();
        // A discarded change put back the field's earlier text: write that back too.
        if let Some(k) = form.take_restored() {
            self.apply(k, cx);
        }
        match event {
            FormEvent::Edited(k) => {
                self.apply(k, cx);
                match self.pending_step.take() {
                    Some(delta) if resumed => self.step_by(delta, cx),
                    _ => Outcome::Handled,
                }
            }
            FormEvent::Submit => self.submit(cx),
            FormEvent::Cancel => {
                self.set_editing(false);
                Outcome::Message("Stopped editing: ←/→ steps, Enter edits, 1–5 switch tabs".into())
            }
            FormEvent::Moved | FormEvent::Handled => Outcome::Handled,
            FormEvent::Ignored => {
                if matches!(key.code, KeyCode::Char(_)) && !ctrl {
                    Outcome::Handled
                } else {
                    Outcome::Ignored
                }
            }
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        self.sync(cx.doc, cx.clock, true);
        if cx.doc.current_alliance().is_none() {
            return match action {
                Action::Add => {
                    let out = Self::create_alliance(cx);
                    self.go(Section::Partner, cx);
                    out
                }
                _ => Outcome::Ignored,
            };
        }
        match action {
            Action::Left | Action::PageUp => self.step_by(-1, cx),
            Action::Right | Action::PageDown => self.step_by(1, cx),
            Action::Home => {
                self.go(Section::Partner, cx);
                Outcome::Handled
            }
            Action::End => {
                self.go(Section::SignOff, cx);
                Outcome::Handled
            }
            Action::Up => {
                if let Some(f) = self.form.as_mut() {
                    f.focus_prev();
                }
                Outcome::Handled
            }
            Action::Down => {
                if let Some(f) = self.form.as_mut() {
                    f.focus_next();
                }
                Outcome::Handled
            }
            Action::Open => {
                if self.form.as_ref().is_some_and(|f| !f.is_empty()) {
                    self.set_editing(true);
                    Outcome::Handled
                } else {
                    Outcome::Message("Nothing to edit here yet: a adds one".into())
                }
            }
            Action::Add => self.add_entry(cx),
            Action::Delete => self.ask_remove(cx),
            Action::MoveUp => self.move_entry(true, cx),
            Action::MoveDown => self.move_entry(false, cx),
            Action::WriteDoc => Self::write_document(cx),
            _ => Outcome::Ignored,
        }
    }

    fn on_confirm(&mut self, token: u32, cx: &mut Cx) -> Outcome {
        if token != CONFIRM_REMOVE {
            return Outcome::Handled;
        }
        let Some((kind, i)) = self.focused_entry() else {
            return Outcome::Handled;
        };
        let label = if kind == Entry::Win {
            format!("charter: remove win condition {}", i + 1)
        } else {
            format!("charter: remove contact {}", i + 1)
        };
        cx.doc.edit_current(label.clone(), |a| {
            if let Some(c) = a.charter.as_mut() {
                if kind == Entry::Win {
                    if i < c.win_conditions.len() {
                        c.win_conditions.remove(i);
                    }
                } else if i < c.escalation.contacts.len() {
                    c.escalation.contacts.remove(i);
                }
            }
        });
        self.sync(cx.doc, cx.clock, true);
        Outcome::Message(format!("Done: {}", label.trim_start_matches("charter: ")))
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let Some(alliance) = cx.doc.current_alliance() else {
            let text = vec![
                Line::styled("No alliance yet", theme.title),
                Line::raw(""),
                Line::raw("A charter belongs to an alliance. Press a to add one and fill its"),
                Line::raw("charter here, step by step, in about 20 minutes."),
            ];
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::bordered().border_style(theme.border))
                .render(area, buf);
            return;
        };
        let hidden = hidden_note(self.step.0, alliance).map(|t| format!(" ⚠ {t}"));
        // The id is what `export --alliance` and the file names use: shown, never edited here.
        let id_line = (self.step.0 == Section::Partner).then(|| id_note(&alliance.id));
        let (hidden, note_style) = match (hidden, id_line) {
            (Some(t), _) => (Some(t), theme.warn),
            (None, line) => (line, theme.muted),
        };
        // Two rows when the note does not fit one: it must be read whole.
        let note_rows = hidden.as_ref().map_or(0, |t| {
            if t.chars().count() > usize::from(area.width) {
                2
            } else {
                1
            }
        });
        let [bar, status, main, note, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(note_rows),
            Constraint::Length(1),
        ])
        .areas(area);
        if let Some(text) = hidden {
            Paragraph::new(text)
                .style(note_style)
                .wrap(Wrap { trim: false })
                .render(note, buf);
        }

        // Step bar: every step with its number; the current one highlighted.
        let mut spans = vec![Span::raw(" ")];
        let full: usize = Section::ALL
            .iter()
            .map(|s| s.title().chars().count() + 5)
            .sum();
        let wide = usize::from(area.width) > full + 2;
        for (i, s) in Section::ALL.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" › ", theme.muted));
            }
            let name = if wide { s.title() } else { s.short() };
            let style = if *s == self.step.0 {
                theme.tab_active
            } else {
                theme.tab
            };
            spans.push(Span::styled(format!("{}·{name}", i + 1), style));
        }
        Line::from(spans).render(bar, buf);

        // Progress, completeness and the timer against 20:00.
        let pct = charter::completeness_percent(alliance);
        let mut spans = vec![
            Span::styled(
                format!(
                    " Step {}/{} · charter {pct}% complete",
                    self.step.0.index() + 1,
                    Section::ALL.len()
                ),
                if pct == 100 { theme.ok } else { theme.base },
            ),
            Span::raw(" · "),
        ];
        let limit = Duration::from_secs(CHARTER_MINUTES * 60);
        match self.elapsed(cx.doc, cx.clock) {
            Some(t) if t > limit => spans.push(Span::styled(
                format!("⚠ {} — over the 20:00 time box", format_duration(t)),
                theme.critical,
            )),
            Some(t) if !self.ticking && self.active => {
                let signed = alliance
                    .charter
                    .as_ref()
                    .and_then(|c| c.signed)
                    .map_or_else(String::new, |d| d.to_string());
                let took = if t.is_zero() {
                    String::new()
                } else {
                    format!(" · took {}", format_duration(t))
                };
                spans.push(Span::styled(format!("✓ signed {signed}{took}"), theme.ok));
            }
            Some(t) => spans.push(Span::styled(
                format!("⏱ {} / 20:00", format_duration(t)),
                theme.base,
            )),
            None => spans.push(Span::styled("⏱ 00:00 / 20:00", theme.muted)),
        }
        Line::from(spans).render(status, buf);

        // The form, with the checklist beside it on a wide screen.
        let (form_area, side) = if main.width >= 110 {
            let [f, s] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(38)]).areas(main);
            (f, Some(s))
        } else {
            (main, None)
        };
        let checks = charter::checklist(alliance);
        match &self.form {
            Some(form) if !form.is_empty() => form.render(form_area, buf, theme),
            _ => {
                let what = if self.step.0 == Section::WinConditions {
                    let add = [
                        key_name(cx.keymap, Action::Add, false),
                        key_name(cx.keymap, Action::Add, true),
                    ];
                    let add = match add {
                        [Some(a), Some(b)] if a != b => format!("{a} (or {b}) adds one"),
                        [Some(a), _] | [None, Some(a)] => format!("{a} adds one"),
                        [None, None] => "add (unbound) adds one".to_owned(),
                    };
                    format!(
                        "No win conditions yet: {add}. Without a number and a deadline a win condition is only a wish."
                    )
                } else {
                    "Nothing here yet.".to_owned()
                };
                Paragraph::new(what)
                    .wrap(Wrap { trim: true })
                    .block(
                        Block::bordered()
                            .title(Span::styled(
                                format!(" {} ", self.step.0.title()),
                                theme.title,
                            ))
                            .border_style(theme.border),
                    )
                    .render(form_area, buf);
            }
        }
        if let Some(side) = side {
            let lines: Vec<Line> = checks
                .iter()
                .map(|c| {
                    let (mark, style) = if c.done {
                        ("✓", theme.ok)
                    } else {
                        ("○", theme.warn)
                    };
                    Line::from(vec![
                        Span::styled(format!("{mark} "), style),
                        Span::styled(format!("{}: {}", c.section.short(), c.what), theme.base),
                    ])
                })
                .collect();
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(
                    Block::bordered()
                        .title(Span::styled(" Checklist ", theme.title))
                        .border_style(theme.border),
                )
                .render(side, buf);
        }

        // The keys of this tab that the shell's footer does not list; the least needed go
        // first when the line is too narrow.
        let list = matches!(self.step.0, Section::WinConditions | Section::Escalation);
        let parts = key_line(cx.keymap, self.editing, list);
        let mut text = String::new();
        for part in parts {
            let next = if text.is_empty() {
                format!(" {part}")
            } else {
                format!("{text} · {part}")
            };
            if next.chars().count() > usize::from(keys.width) {
                break;
            }
            text = next;
        }
        Line::styled(text, theme.muted).render(keys, buf);
    }

    fn hints(&self) -> Vec<(Action, &'static str)> {
        if !self.has_alliance {
            vec![(Action::Add, "add an alliance")]
        } else if self.editing {
            vec![
                (Action::Back, "stop editing"),
                (Action::PageDown, "next step"),
            ]
        } else {
            vec![
                (Action::Open, "edit"),
                (Action::PageDown, "next step"),
                (Action::WriteDoc, "write .md"),
            ]
        }
    }

    fn footer_hints(&self) -> Vec<(Action, &'static str)> {
        // With an alliance, the charter's own key line names its mode and keys.
        if self.has_alliance {
            Vec::new()
        } else {
            self.hints()
        }
    }

    fn ticking(&self) -> bool {
        self.ticking
    }
}

/// Go to the Charter tab (used after creating or promoting an alliance).
pub fn open() -> Outcome {
    Outcome::SwitchTab(Tab::Charter)
}

#[cfg(test)]
mod tests;
