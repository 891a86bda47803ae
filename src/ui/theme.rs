//! Semantic styles: widgets ask for `theme.flag(severity)` or `theme.selected`, never a colour.
//!
//! The built-in default is complete; a theme file (`themes/*.ron`, or `NAME.ron` in the user's
//! config dir) overrides only the styles it names, e.g. `(warn: (fg: "LightYellow"))`.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::score::Severity;

/// Built-in themes, embedded so the binary works from anywhere.
pub const BUILT_IN: [(&str, &str); 3] = [
    ("dark", include_str!("../../themes/dark.ron")),
    ("light", include_str!("../../themes/light.ron")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.ron"),
    ),
];

macro_rules! theme_styles {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {
        /// A complete set of semantic styles.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Theme {
            pub name: String,
            $($(#[$doc])* pub $field: Style,)*
        }

        /// A theme file: every style optional, unknown names rejected.
        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ThemePatch {
            #[serde(default)]
            name: Option<String>,
            $(#[serde(default)] $field: Option<Style>,)*
        }

        impl Theme {
            fn patch(&mut self, patch: ThemePatch) {
                if let Some(name) = patch.name {
                    self.name = name;
                }
                $(if let Some(style) = patch.$field {
                    self.$field = self.$field.patch(style);
                })*
            }

            /// Drop every colour but keep bold/underline (for `NO_COLOR`). The selection
            /// becomes reverse video, so it never depends on colour (issue 12 item 3).
            #[must_use]
            pub fn without_colour(mut self) -> Self {
                $(self.$field = Style {
                    fg: None,
                    bg: None,
                    ..self.$field
                };)*
                self.selected = self.selected.add_modifier(Modifier::REVERSED);
                self
            }

            /// This theme with every style set to `style`: a selected row drawn through it
            /// is one foreground on one background, never a flag colour on the selection's
            /// background (a pair no theme can keep readable).
            #[must_use]
            pub fn uniform(&self, style: Style) -> Self {
                Self {
                    name: self.name.clone(),
                    $($field: style,)*
                }
            }
        }
    };
}

theme_styles! {
    /// Ordinary text on the background.
    base,
    /// Secondary text: hints, empty values.
    muted,
    /// Panel titles.
    title,
    /// The header line.
    header,
    /// The "SHARING" banner.
    share_banner,
    tab,
    tab_active,
    /// The selected row or field.
    selected,
    border,
    /// The border of the focused panel or field.
    border_focus,
    /// Good news: healthy, met, within the band.
    ok,
    /// Warn-level flags and thresholds.
    warn,
    /// Critical flags.
    critical,
    /// Key names in the footer and help.
    key,
    /// Editable text fields.
    input,
    /// Chart series.
    chart,
    /// Threshold lines in charts.
    threshold,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            name: "dark".to_owned(),
            base: Style::new().fg(Color::Gray),
            muted: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::White).bg(Color::Blue),
            share_banner: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            tab: Style::new().fg(Color::Gray),
            tab_active: Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::new().fg(Color::Black).bg(Color::Cyan),
            border: Style::new().fg(Color::DarkGray),
            border_focus: Style::new().fg(Color::Cyan),
            ok: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            critical: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            input: Style::new().fg(Color::White).bg(Color::Rgb(40, 40, 60)),
            chart: Style::new().fg(Color::Cyan),
            threshold: Style::new().fg(Color::Yellow),
        }
    }
}

impl Theme {
    /// The style of a flag of this severity.
    pub fn flag(&self, severity: Severity) -> Style {
        match severity {
            Severity::Warn => self.warn,
            Severity::Critical => self.critical,
        }
    }

    /// Parse a theme file on top of the default theme.
    pub fn from_ron(text: &str, name: &str) -> Result<Self, String> {
        let patch: ThemePatch = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            // Lets a theme say `add_modifier: "BOLD"` instead of `Modifier("BOLD")`.
            .with_default_extension(ron::extensions::Extensions::UNWRAP_NEWTYPES)
            .from_str(text)
            .map_err(|e| format!("theme {name}: {e}"))?;
        let mut theme = Self {
            name: name.to_owned(),
            ..Self::default()
        };
        theme.patch(patch);
        Ok(theme)
    }

    /// Names of the built-in themes and the user's `*.ron` themes, built-ins first.
    pub fn available(config_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = BUILT_IN.iter().map(|(n, _)| (*n).to_owned()).collect();
        if let Some(dir) = config_dir.map(|d| d.join("themes"))
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            let mut user: Vec<String> = entries
                .flatten()
                .filter_map(|e| {
                    let path = e.path();
                    (path.extension()? == "ron")
                        .then(|| path.file_stem()?.to_str().map(str::to_owned))?
                })
                .filter(|n| !names.contains(n))
                .collect();
            user.sort();
            names.extend(user);
        }
        names
    }

    /// Load a theme by name: the user's `themes/NAME.ron` first, then a built-in. A missing or
    /// broken theme is a warning and the default theme is used.
    pub fn load(name: &str, config_dir: Option<&Path>) -> (Self, Option<String>) {
        Self::resolve(name, read_user_theme(name, config_dir).as_ref())
    }

    /// The theme `name` from the user's file (its path and text) when there is one, else a
    /// built-in; a missing or broken theme is a warning and the default theme is used. Reads
    /// nothing: the update step cycles themes with the files read at start.
    pub fn resolve(name: &str, user_file: Option<&(PathBuf, String)>) -> (Self, Option<String>) {
        if let Some((path, text)) = user_file {
            return match Self::from_ron(text, name) {
                Ok(theme) => (theme, None),
                Err(e) => (
                    Self::default(),
                    Some(format!("{}: {e}; using the default theme", path.display())),
                ),
            };
        }
        match BUILT_IN.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => match Self::from_ron(text, name) {
                Ok(theme) => (theme, None),
                Err(e) => (Self::default(), Some(e)),
            },
            None => (
                Self::default(),
                Some(format!(
                    "no theme named {name:?} (built-in: dark, light, high-contrast); using dark"
                )),
            ),
        }
    }
}

/// A theme the `t` key cycles through: its name and, when the user has a file for it, that
/// file's path and text (read once at start).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeEntry {
    pub name: String,
    pub user_file: Option<(PathBuf, String)>,
}

/// The user's `themes/NAME.ron`, if it can be read.
fn read_user_theme(name: &str, config_dir: Option<&Path>) -> Option<(PathBuf, String)> {
    let path = config_dir?.join("themes").join(format!("{name}.ron"));
    let text = std::fs::read_to_string(&path).ok()?;
    Some((path, text))
}

/// Every theme on offer ([`Theme::available`]) with the user's files read.
pub fn read_available(config_dir: Option<&Path>) -> Vec<ThemeEntry> {
    Theme::available(config_dir)
        .into_iter()
        .map(|name| ThemeEntry {
            user_file: read_user_theme(&name, config_dir),
            name,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_themes_parse() {
        for (name, text) in BUILT_IN {
            let theme = Theme::from_ron(text, name).unwrap();
            assert_eq!(theme.name, name);
        }
    }

    #[test]
    fn a_theme_overrides_only_what_it_names() {
        let theme = Theme::from_ron(r#"(warn: (fg: "Magenta"))"#, "mine").unwrap();
        assert_eq!(theme.warn.fg, Some(Color::Magenta));
        assert_eq!(theme.critical, Theme::default().critical);
    }

    #[test]
    fn a_bad_theme_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        std::fs::write(dir.path().join("themes/bad.ron"), "(wrn: (fg: \"Red\"))").unwrap();
        let (theme, warning) = Theme::load("bad", Some(dir.path()));
        assert_eq!(theme, Theme::default());
        assert!(warning.unwrap().contains("bad.ron"));
        assert_eq!(Theme::available(Some(dir.path())).last().unwrap(), "bad");
    }

    #[test]
    fn unknown_theme_falls_back() {
        let (theme, warning) = Theme::load("nope", None);
        assert_eq!(theme.name, "dark");
        assert!(warning.is_some());
    }

    #[test]
    fn no_colour_keeps_modifiers() {
        let theme = Theme::default().without_colour();
        assert_eq!(theme.critical.fg, None);
        assert!(theme.critical.add_modifier.contains(Modifier::BOLD));
    }
}
