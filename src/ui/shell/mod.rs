//! The terminal shell: the workspace state ([`App`]), its overlays ([`Modal`]) and the one
//! update step: terminal events → actions → tab and document edits → [`Effect`]s.
//!
//! [`App::handle_event`] never touches the terminal or the disk; it returns [`Effect`]s that
//! the loop in [`run`] carries out, and the results come back through [`App::apply`], so every
//! behaviour here is testable without a tty.

mod apply;
pub mod conflicts;
pub mod onboarding;
pub mod questions;
pub mod run;
mod signals;
pub mod startup;

use std::collections::VecDeque;
use std::path::PathBuf;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use self::questions::ChoiceOption;
use crate::app::action::Action;
use crate::app::clock::Clock;
use crate::app::document::Document;
use crate::app::keymap::Keymap;
use crate::app::safety::{Decision, Safety};
use crate::app::{Effect, Target};
use crate::ui::keys::KeymapEvents;
use crate::ui::tabs::{Confirm, Cx, Outcome, SyncCx, Tab, TabView, ViewCtx, Views};
use crate::ui::theme::{Theme, ThemeEntry};
use crate::ui::widgets::line_edit::LineEdit;

/// What share mode says once the shared alliance is gone.
pub const SHARED_GONE: &str =
    "The shared alliance is gone (deleted, or not in the file any more): s stops sharing";

/// An overlay that takes the keys while open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modal {
    Help {
        scroll: u16,
    },
    /// A tab's yes/no question.
    Confirm {
        tab: Tab,
        confirm: Confirm,
    },
    /// Quit with unsaved edits?
    QuitUnsaved,
    /// A message that needs acknowledging (warnings at start, a failed save).
    Notice {
        title: String,
        lines: Vec<String>,
    },
    /// Save (or write an exported file) to which path?
    SaveAs {
        input: LineEdit,
        error: Option<String>,
        /// Boxed: an exported file's contents would make every modal as large.
        target: Box<Target>,
    },
    /// A question about the file itself, answered by one of `options`' keys; Esc answers
    /// `cancel` (or does nothing when there is none: the question must be answered).
    Choice {
        title: String,
        lines: Vec<String>,
        options: Vec<ChoiceOption>,
        cancel: Option<Decision>,
    },
    /// The merge conflicts left beside the file, each to settle as ours or theirs (the list
    /// itself is [`App::conflicts`]).
    Conflicts,
}

/// The whole workspace state.
pub struct App {
    pub doc: Document,
    pub tab: Tab,
    pub share: bool,
    pub theme: Theme,
    /// The themes `t` cycles through, their user files read at start.
    pub themes: Vec<ThemeEntry>,
    pub keymap: Keymap,
    pub modal: Option<Modal>,
    /// The last status line (what was saved, undone, refused…).
    pub status: Option<String>,
    pub clock: Clock,
    pub config_dir: Option<PathBuf>,
    pub no_color: bool,
    /// Last known terminal size, for mouse hit-testing with the same layout the renderer uses.
    pub size: Rect,
    /// Every tab's view (the registry in `ui/tabs/mod.rs`).
    pub views: Views,
    /// The lock, recovery and on-disk state the main loop keeps (see [`safety`]).
    pub safety: Safety,
    /// Questions and notices waiting for the current modal to close.
    pub queued: VecDeque<Modal>,
    /// The merge conflicts of the open file, until they are settled and their file removed.
    pub conflicts: Option<conflicts::Conflicts>,
    /// Effects the update step asked for while taking in a result; the runner carries them
    /// out next (removing the conflicts file after a save).
    pub follow_ups: Vec<Effect>,
    /// When the partner pages were last published (`HH:MM`), for the header.
    pub published_at: Option<String>,
    /// Share mode's alliance, by id: it is followed across reloads and edits, and when it is
    /// gone the screen says so and shows nothing else (SPEC §7).
    pub shared: Option<String>,
    /// What share mode draws from ([`crate::app::share::partner_view`]), rebuilt as the
    /// document changes; `None` when not sharing.
    partner_view: Option<Document>,
    /// The crash-recovery writer's worker, once recovery writes began (see `run::recovery`).
    pub recovery_writer: Option<run::recovery::RecoveryWriter>,
    /// A revenue export being read in the background (`i` on the Portfolio).
    pub revenue_job: Option<run::import::RevenueJob>,
    /// What start-up had to say (a stale lock taken over, a keymap or theme warning, file
    /// warnings): shown on the status line and listed in help, never as a dialog.
    pub notices: Vec<String>,
}

impl App {
    pub fn new(doc: Document, theme: Theme, keymap: Keymap) -> Self {
        let mut app = Self {
            doc,
            tab: Tab::Portfolio,
            share: false,
            themes: crate::ui::theme::read_available(None),
            theme,
            keymap,
            modal: None,
            status: None,
            clock: Clock::default(),
            config_dir: None,
            no_color: false,
            size: Rect::new(0, 0, 120, 40),
            views: Views::default(),
            safety: Safety::default(),
            queued: VecDeque::new(),
            conflicts: None,
            follow_ups: Vec::new(),
            published_at: None,
            shared: None,
            partner_view: None,
            recovery_writer: None,
            revenue_job: None,
            notices: Vec::new(),
        };
        app.sync_views();
        app
    }

    /// The drawing context for the current state.
    /// While sharing, the document is the partner's view of it: nothing else can be drawn.
    pub fn view_ctx(&self) -> ViewCtx<'_> {
        ViewCtx {
            doc: self.partner_view.as_ref().unwrap_or(&self.doc),
            theme: &self.theme,
            keymap: &self.keymap,
            share: self.share,
            clock: &self.clock,
        }
    }

    pub fn tab_view(&self, tab: Tab) -> &dyn TabView {
        self.views.get(tab)
    }

    /// The current tab and a mutable context, borrowed apart.
    fn split(&mut self, tab: Tab) -> (&mut dyn TabView, Cx<'_>) {
        let cx = Cx {
            doc: &mut self.doc,
            share: self.share,
            clock: &self.clock,
            keymap: &self.keymap,
        };
        (self.views.get_mut(tab), cx)
    }

    /// A timer is on screen, so the loop should wake up every second.
    pub fn ticking(&self) -> bool {
        self.modal.is_none() && self.tab_view(self.tab).ticking()
    }

    /// Handle one terminal event; returns what the main loop must do.
    pub fn handle_event(&mut self, event: &Event) -> Vec<Effect> {
        let effects = match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(key),
            Event::Mouse(mouse) => self.handle_mouse(*mouse),
            Event::Resize(w, h) => {
                self.size = Rect::new(0, 0, *w, *h);
                Vec::new()
            }
            Event::Paste(text) => {
                // Pasted text goes to a focused field as if typed, one character at a time.
                let mut effects = Vec::new();
                if let Some(Modal::SaveAs { input, .. }) = &mut self.modal {
                    input.insert_str(text);
                }
                if self.modal.is_none() && self.tab_view(self.tab).captures_input() {
                    for c in text.chars().filter(|c| *c != '\r') {
                        let code = if c == '\n' {
                            KeyCode::Enter
                        } else {
                            KeyCode::Char(c)
                        };
                        effects.extend(self.handle_key(&KeyEvent::from(code)));
                    }
                }
                effects
            }
            _ => Vec::new(),
        };
        self.sync_views();
        let mut effects = effects;
        // The Reviews tab lists the changes since the last MBR: their git read is an effect.
        if self.tab == Tab::Reviews {
            effects.extend(self.views.reviews.changes_wanted(&self.doc));
        }
        effects
    }

    /// Bring the views' cached lists and forms up to date with the document (each is cheap
    /// when nothing changed). Run after every event, and after effects that replace the model.
    pub fn sync_views(&mut self) {
        self.follow_shared();
        for tab in Tab::ALL {
            let cx = SyncCx {
                doc: &self.doc,
                share: self.share,
                clock: &self.clock,
                active: self.tab == tab,
            };
            self.views.get_mut(tab).sync_view(&cx);
        }
    }

    /// Share mode follows its alliance by id: wherever a reload or an edit moved it, it stays
    /// the current one. The partner's view is rebuilt when the document or the place changed.
    fn follow_shared(&mut self) {
        if !self.share {
            self.partner_view = None;
            return;
        }
        let place = self
            .shared
            .as_deref()
            .and_then(|id| crate::app::share::locate(&self.doc, id));
        if let Some(i) = place {
            self.doc.current = i;
        }
        let fresh = self
            .partner_view
            .as_ref()
            .is_some_and(|v| v.revision == self.doc.revision && v.current == self.doc.current);
        if !fresh {
            let shared = place.unwrap_or(usize::MAX);
            self.partner_view = Some(crate::app::share::partner_view(&self.doc, shared));
        }
    }

    /// Sharing, and the shared alliance is no longer in the document (deleted, or a reload
    /// removed it): nothing but that is shown until share mode ends.
    pub fn shared_gone(&self) -> bool {
        self.share
            && self
                .shared
                .as_deref()
                .is_none_or(|id| crate::app::share::locate(&self.doc, id).is_none())
    }

    fn handle_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        if let Some(effects) = self.ctrl_c(key) {
            return effects;
        }
        if self.modal.is_some() {
            return self.handle_modal_key(key);
        }
        if self.shared_gone() {
            // No tab may act: the current alliance is another partner's.
            if let Some(
                action @ (Action::ShareMode
                | Action::Quit
                | Action::Help
                | Action::Save
                | Action::SaveAs
                | Action::NextTheme),
            ) = self.keymap.action(key)
            {
                return self.global_action(action);
            }
            self.status = Some(SHARED_GONE.to_owned());
            return Vec::new();
        }
        let tab = self.tab;
        let (view, mut cx) = self.split(tab);
        if view.captures_input() {
            let outcome = view.on_key(key, &mut cx);
            if outcome != Outcome::Ignored {
                return self.outcome(tab, outcome);
            }
            // A focused field lets only control keys (Ctrl-s, Esc handled above) and Alt with a
            // non-character key (Alt-↑ moves a list entry) through; Alt-letter is often a
            // mistyped Esc and types nothing.
            let ctrl = key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL);
            let alt_key = key.modifiers.contains(crossterm::event::KeyModifiers::ALT)
                && !matches!(key.code, KeyCode::Char(_));
            if !ctrl && !alt_key {
                return Vec::new();
            }
        }
        match self.keymap.action(key) {
            Some(action) => self.handle_action(action),
            None => Vec::new(),
        }
    }

    /// Ctrl-c quits, asking first when there are unsaved edits, as a terminal user expects.
    /// Over a dialog that closes without an answer (help, a notice, a yes/no) it closes it
    /// first; a file question (recovery, the lock) or a path prompt must be answered first:
    /// quitting there could drop a recovery file.
    fn ctrl_c(&mut self, key: &KeyEvent) -> Option<Vec<Effect>> {
        let ctrl = key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL);
        if !ctrl || key.code != KeyCode::Char('c') {
            return None;
        }
        match self.modal {
            None | Some(Modal::Help { .. } | Modal::Notice { .. } | Modal::Confirm { .. }) => {}
            Some(Modal::QuitUnsaved) => return Some(Vec::new()),
            Some(_) => {
                self.status = Some("Answer the question first (Ctrl-c quits after)".to_owned());
                return Some(Vec::new());
            }
        }
        self.modal = None;
        if self.doc.is_dirty() {
            self.modal = Some(Modal::QuitUnsaved);
            Some(Vec::new())
        } else {
            Some(vec![Effect::Quit])
        }
    }

    /// Run an action: the current tab first, then the shell's global meaning.
    fn handle_action(&mut self, action: Action) -> Vec<Effect> {
        if self.modal.is_some() {
            return Vec::new();
        }
        let tab = self.tab;
        let (view, mut cx) = self.split(tab);
        let outcome = view.on_action(action, &mut cx);
        if outcome != Outcome::Ignored {
            return self.outcome(tab, outcome);
        }
        self.global_action(action)
    }

    fn global_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Tab1 => self.switch_tab(Tab::from_index(0)),
            Action::Tab2 => self.switch_tab(Tab::from_index(1)),
            Action::Tab3 => self.switch_tab(Tab::from_index(2)),
            Action::Tab4 => self.switch_tab(Tab::from_index(3)),
            Action::Tab5 => self.switch_tab(Tab::from_index(4)),
            Action::NextTab => self.switch_tab(self.tab.next()),
            Action::PrevTab => self.switch_tab(self.tab.prev()),
            Action::ShareMode => {
                self.share = !self.share;
                self.shared = self
                    .share
                    .then(|| self.doc.current_alliance().map(|a| a.id.clone()))
                    .flatten();
                self.status = Some(if self.share {
                    "Share mode on: only this alliance is shown, internal notes hidden".to_owned()
                } else {
                    "Share mode off".to_owned()
                });
            }
            Action::NextTheme => self.next_theme(),
            // While sharing, undo and redo touch only the shared alliance: another's edit would
            // change what is not on screen and its label would name the other partner.
            Action::Undo if self.share && !self.doc.undo_is_current_alliance() => {
                self.status = Some(if self.doc.undo_label().is_some() {
                    "Undo is off while sharing: the last edit is not this alliance's".to_owned()
                } else {
                    "Nothing to undo".to_owned()
                });
            }
            Action::Redo if self.share && !self.doc.redo_is_current_alliance() => {
                self.status = Some(if self.doc.redo_label().is_some() {
                    "Redo is off while sharing: the last undone edit is not this alliance's"
                        .to_owned()
                } else {
                    "Nothing to redo".to_owned()
                });
            }
            Action::Undo => {
                self.status = Some(match self.doc.undo() {
                    Some(label) => format!("Undid: {label}"),
                    None => "Nothing to undo".to_owned(),
                });
            }
            Action::Redo => {
                self.status = Some(match self.doc.redo() {
                    Some(label) => format!("Redid: {label}"),
                    None => "Nothing to redo".to_owned(),
                });
            }
            Action::Save => return vec![Effect::Save],
            // The internal page names every alliance: not while a partner watches.
            Action::Publish if self.share => {
                self.status = Some(
                    "Publishing is off while sharing: it writes the internal portfolio page"
                        .to_owned(),
                );
            }
            Action::Publish => return vec![Effect::Publish],
            Action::SaveAs => self.ask_save_as(None),
            Action::Help => {
                // At this tab's section: its keys first, the glossary and the rest below.
                let scroll = crate::ui::help::section_scroll(self, self.tab, self.size);
                self.modal = Some(Modal::Help { scroll });
            }
            Action::Quit => {
                if self.doc.is_dirty() {
                    self.modal = Some(Modal::QuitUnsaved);
                } else {
                    return vec![Effect::Quit];
                }
            }
            Action::Back => self.status = None,
            _ => {}
        }
        Vec::new()
    }

    fn switch_tab(&mut self, tab: Tab) {
        self.tab = tab;
        self.status = None;
    }

    fn next_theme(&mut self) {
        let i = self
            .themes
            .iter()
            .position(|t| t.name == self.theme.name)
            .map_or(0, |i| i + 1);
        let entry = &self.themes[i % self.themes.len()];
        let name = entry.name.clone();
        let (theme, warning) = Theme::resolve(&name, entry.user_file.as_ref());
        self.theme = if self.no_color {
            theme.without_colour()
        } else {
            theme
        };
        // Keep the cycle moving even when a user theme fails and falls back to the default.
        self.theme.name.clone_from(&name);
        self.status = Some(warning.unwrap_or_else(|| format!("Theme: {name}")));
    }

    fn outcome(&mut self, tab: Tab, outcome: Outcome) -> Vec<Effect> {
        match outcome {
            Outcome::Ignored | Outcome::Handled => Vec::new(),
            Outcome::Message(m) => {
                self.status = Some(m);
                Vec::new()
            }
            Outcome::Confirm(confirm) => {
                self.modal = Some(Modal::Confirm { tab, confirm });
                Vec::new()
            }
            Outcome::SwitchTab(t) => {
                self.switch_tab(t);
                Vec::new()
            }
            Outcome::Effect(effect) => vec![effect],
        }
    }

    fn handle_modal_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        let Some(modal) = self.modal.take() else {
            return Vec::new();
        };
        let action = self.keymap.action(key);
        match modal {
            Modal::Conflicts => return self.conflicts_key(key),
            Modal::Help { scroll } => {
                // Bounded by the content, so ↓ past the end neither overflows nor needs as many
                // ↑ to come back.
                let max = crate::ui::help::max_scroll(self, self.size);
                let scroll = match action {
                    Some(Action::Down) => scroll.saturating_add(1),
                    Some(Action::Up) => scroll.saturating_sub(1),
                    Some(Action::PageDown) => scroll.saturating_add(10),
                    Some(Action::PageUp) => scroll.saturating_sub(10),
                    Some(Action::Home) => 0,
                    Some(Action::End) => max,
                    _ => return Vec::new(),
                };
                self.modal = Some(Modal::Help {
                    scroll: scroll.min(max),
                });
            }
            Modal::Confirm { tab, confirm } => match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                    let (view, mut cx) = self.split(tab);
                    let outcome = view.on_confirm(confirm.token, &mut cx);
                    return self.outcome(tab, outcome);
                }
                KeyCode::Char('n' | 'N') | KeyCode::Esc => self.status = Some("Cancelled".into()),
                _ => self.modal = Some(Modal::Confirm { tab, confirm }),
            },
            Modal::QuitUnsaved => match key.code {
                KeyCode::Char('y' | 'Y' | 's' | 'S') => return vec![Effect::Save, Effect::Quit],
                KeyCode::Char('n' | 'N' | 'd' | 'D') => return vec![Effect::Quit],
                KeyCode::Esc | KeyCode::Char('c' | 'C') => {}
                _ => self.modal = Some(Modal::QuitUnsaved),
            },
            Modal::Notice { title, lines } => {
                if !matches!(
                    key.code,
                    KeyCode::Enter | KeyCode::Esc | KeyCode::Char(' ' | 'q')
                ) {
                    self.modal = Some(Modal::Notice { title, lines });
                }
            }
            Modal::SaveAs {
                mut input, target, ..
            } => match key.code {
                KeyCode::Enter if !input.text().trim().is_empty() => {
                    return vec![Effect::WriteTo {
                        path: PathBuf::from(input.text().trim()),
                        target: *target,
                    }];
                }
                KeyCode::Esc => {
                    self.status = Some(match *target {
                        Target::Portfolio => "Save as cancelled".to_owned(),
                        Target::Text { named, .. } => {
                            format!("Cancelled: {} was not written", named.display())
                        }
                        Target::PublishFolder => "Not published".to_owned(),
                    });
                }
                _ => {
                    input.on_key(key);
                    self.modal = Some(Modal::SaveAs {
                        input,
                        error: None,
                        target,
                    });
                }
            },
            Modal::Choice {
                title,
                lines,
                options,
                cancel,
            } => {
                let picked = match key.code {
                    KeyCode::Char(c) => options
                        .iter()
                        .find(|o| o.key.eq_ignore_ascii_case(&c))
                        .map(|o| o.decision),
                    KeyCode::Esc => cancel,
                    _ => None,
                };
                match picked {
                    Some(decision) => return vec![Effect::Decide(decision)],
                    None => {
                        self.modal = Some(Modal::Choice {
                            title,
                            lines,
                            options,
                            cancel,
                        });
                    }
                }
            }
        }
        Vec::new()
    }

    fn handle_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        if self.modal.is_none() && self.shared_gone() {
            return Vec::new();
        }
        if self.modal.is_some() {
            return match mouse.kind {
                MouseEventKind::ScrollDown => self.handle_modal_key(&KeyEvent::from(KeyCode::Down)),
                MouseEventKind::ScrollUp => self.handle_modal_key(&KeyEvent::from(KeyCode::Up)),
                _ => Vec::new(),
            };
        }
        let areas = crate::ui::layout(self.size);
        if mouse.kind == MouseEventKind::Down(MouseButton::Left)
            && areas.tabs.contains((mouse.column, mouse.row).into())
        {
            if let Some(tab) = crate::ui::tab_at(areas.tabs, mouse.column) {
                self.switch_tab(tab);
            }
            return Vec::new();
        }
        if areas.body.contains((mouse.column, mouse.row).into()) {
            let tab = self.tab;
            let (view, mut cx) = self.split(tab);
            let outcome = view.on_mouse(&mouse, areas.body, &mut cx);
            if outcome != Outcome::Ignored {
                return self.outcome(tab, outcome);
            }
            return match mouse.kind {
                MouseEventKind::ScrollDown => self.handle_action(Action::Down),
                MouseEventKind::ScrollUp => self.handle_action(Action::Up),
                _ => Vec::new(),
            };
        }
        Vec::new()
    }

    /// Open the "save as" prompt, pre-filled with a sensible path.
    pub fn ask_save_as(&mut self, reason: Option<String>) {
        let input = self.doc.path().map_or_else(
            || "portfolio.ron".to_owned(),
            |p| format!("{}.copy.ron", p.with_extension("").display()),
        );
        self.ask_path(&input, reason, Target::Portfolio);
    }

    /// Open the path prompt for `target`, pre-filled with `input`: the one place a path is
    /// asked for, whether for the portfolio or an exported file.
    /// A status line from before (a "Cancelled" answer, a wizard's last message) is cleared:
    /// the prompt is what needs an answer now, and its own line says why it is asked.
    pub fn ask_path(&mut self, input: &str, error: Option<String>, target: Target) {
        self.status = None;
        self.modal = Some(Modal::SaveAs {
            input: LineEdit::new(input),
            error,
            target: Box::new(target),
        });
    }
}

#[cfg(test)]
pub(crate) mod tests;
