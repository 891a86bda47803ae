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

            /// Every style by name, in declaration order (the contrast test walks them).
            pub fn styles(&self) -> Vec<(&'static str, Style)> {
                vec![$((stringify!($field), self.$field),)*]
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
            // Colours from the 256-colour cube and grey ramp, which terminals do not re-theme
            // (palette 0–15 they do), and a background of its own: the contrast test measures
            // what is really drawn (issue 12 item 4).
            base: Style::new().fg(Color::Indexed(252)).bg(Color::Indexed(234)),
            muted: Style::new().fg(Color::Indexed(246)),
            title: Style::new()
                .fg(Color::Indexed(80))
                .add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::Indexed(255)).bg(Color::Indexed(24)),
            share_banner: Style::new()
                .fg(Color::Indexed(16))
                .bg(Color::Indexed(220))
                .add_modifier(Modifier::BOLD),
            tab: Style::new().fg(Color::Indexed(250)),
            tab_active: Style::new()
                .fg(Color::Indexed(220))
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::new().fg(Color::Indexed(16)).bg(Color::Indexed(80)),
            border: Style::new().fg(Color::Indexed(240)),
            border_focus: Style::new().fg(Color::Indexed(80)),
            ok: Style::new().fg(Color::Indexed(114)),
            warn: Style::new().fg(Color::Indexed(220)),
            critical: Style::new()
                .fg(Color::Indexed(210))
                .add_modifier(Modifier::BOLD),
            key: Style::new()
                .fg(Color::Indexed(80))
                .add_modifier(Modifier::BOLD),
            input: Style::new().fg(Color::Indexed(255)).bg(Color::Indexed(237)),
            chart: Style::new().fg(Color::Indexed(80)),
            threshold: Style::new().fg(Color::Indexed(220)),
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

    /// The sRGB value a colour is drawn in: the 256-colour cube and grey ramp are fixed;
    /// palette 0–15 (named colours) are the terminal's, taken at xterm's defaults.
    fn rgb(colour: Color) -> Option<(u8, u8, u8)> {
        const PALETTE: [(u8, u8, u8); 16] = [
            (0, 0, 0),
            (205, 0, 0),
            (0, 205, 0),
            (205, 205, 0),
            (0, 0, 238),
            (205, 0, 205),
            (0, 205, 205),
            (229, 229, 229),
            (127, 127, 127),
            (255, 0, 0),
            (0, 255, 0),
            (255, 255, 0),
            (92, 92, 255),
            (255, 0, 255),
            (0, 255, 255),
            (255, 255, 255),
        ];
        let index = match colour {
            Color::Reset => return None,
            Color::Rgb(r, g, b) => return Some((r, g, b)),
            Color::Indexed(n) => n,
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 8,
            Color::LightRed => 9,
            Color::LightGreen => 10,
            Color::LightYellow => 11,
            Color::LightBlue => 12,
            Color::LightMagenta => 13,
            Color::LightCyan => 14,
            Color::White => 15,
        };
        Some(match index {
            0..=15 => PALETTE[usize::from(index)],
            16..=231 => {
                let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
                let i = index - 16;
                (level(i / 36), level(i / 6 % 6), level(i % 6))
            }
            _ => {
                let v = 8 + 10 * (index - 232);
                (v, v, v)
            }
        })
    }

    /// WCAG relative luminance.
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let channel = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG contrast ratio of two colours.
    fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    const DARK_TERMINAL: (u8, u8, u8) = (0, 0, 0);
    const LIGHT_TERMINAL: (u8, u8, u8) = (255, 255, 255);

    /// Each text style's foreground on what it is drawn over: its own background, else the
    /// theme's base background (every screen is filled with it first), else the terminal's,
    /// tried dark and light. Borders are not text and are left out.
    fn contrast_failures(theme: &Theme) -> Vec<String> {
        let mut failures = Vec::new();
        let base = theme.base;
        for (name, style) in theme.styles() {
            if name.starts_with("border") {
                continue;
            }
            let mut fg = style.fg.or(base.fg).and_then(rgb);
            let bg = style.bg.or(base.bg).and_then(rgb);
            let backgrounds = match bg {
                Some(bg) => vec![bg],
                None => vec![DARK_TERMINAL, LIGHT_TERMINAL],
            };
            for mut bg in backgrounds {
                if style.add_modifier.contains(Modifier::REVERSED) {
                    let Some(f) = fg else { continue };
                    (fg, bg) = (Some(bg), f);
                }
                let Some(f) = fg else {
                    failures.push(format!(
                        "{}.{name}: no foreground on a set background",
                        theme.name
                    ));
                    continue;
                };
                let ratio = contrast(f, bg);
                if ratio < 4.5 {
                    failures.push(format!(
                        "{}.{name}: {f:?} on {bg:?} is {ratio:.2}:1, below 4.5:1",
                        theme.name
                    ));
                }
                fg = style.fg.or(base.fg).and_then(rgb);
            }
        }
        failures
    }

    #[test]
    fn every_built_in_theme_reaches_wcag_aa_contrast() {
        for (name, text) in BUILT_IN {
            let theme = Theme::from_ron(text, name).unwrap();
            let failures = contrast_failures(&theme);
            assert!(failures.is_empty(), "{failures:#?}");
        }
    }

    #[test]
    fn the_contrast_test_fails_a_theme_below_four_and_a_half() {
        // The old light theme: body text in palette colour 0 with the terminal's background.
        let old = Theme::from_ron(
            r#"(base: (fg: "Black", bg: "Reset"), muted: (fg: "DarkGray"))"#,
            "old",
        )
        .unwrap();
        let failures = contrast_failures(&old);
        assert!(
            failures.iter().any(|f| f.starts_with("old.base")),
            "{failures:#?}"
        );
        assert!(contrast((0, 0, 0), (255, 255, 255)) > 20.9);
        assert_eq!(rgb(Color::Indexed(16)), Some((0, 0, 0)));
        assert_eq!(rgb(Color::Indexed(231)), Some((255, 255, 255)));
        assert_eq!(rgb(Color::Indexed(234)), Some((28, 28, 28)));
    }

    #[test]
    fn no_colour_selection_is_reverse_video() {
        let theme = Theme::default().without_colour();
        assert!(theme.selected.add_modifier.contains(Modifier::REVERSED));
        assert_eq!(theme.selected.bg, None);
    }
}
