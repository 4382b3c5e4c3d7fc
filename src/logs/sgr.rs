//! Select Graphic Rendition (`ESC [ … m`) parameters applied to a Style.

use ratatui::style::{Color, Modifier, Style};

const BASIC: [Color; 8] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
];

const BRIGHT: [Color; 8] = [
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

/// Whether a CSI ending in `m` is SGR: private forms (`ESC[?…m`, `ESC[>…m`)
/// and intermediates mean something else.
pub(super) fn is_sgr(params: &str) -> bool {
    params
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b';' || b == b':')
}

/// Applies the parameters in order; unknown ones are ignored, as terminals
/// do. Blink and conceal are ignored on purpose: hidden text could hide
/// what a build did, and blinking is noise.
pub(super) fn apply(style: &mut Style, params: &str) {
    // Colon sub-parameters (`38:5:n`) are read like semicolons.
    let mut nums = params.split([';', ':']).map(number);
    while let Some(n) = nums.next() {
        match n {
            0 => *style = Style::default(),
            1 => style.add_modifier.insert(Modifier::BOLD),
            2 => style.add_modifier.insert(Modifier::DIM),
            3 => style.add_modifier.insert(Modifier::ITALIC),
            4 => style.add_modifier.insert(Modifier::UNDERLINED),
            7 => style.add_modifier.insert(Modifier::REVERSED),
            9 => style.add_modifier.insert(Modifier::CROSSED_OUT),
            22 => style.add_modifier.remove(Modifier::BOLD | Modifier::DIM),
            23 => style.add_modifier.remove(Modifier::ITALIC),
            24 => style.add_modifier.remove(Modifier::UNDERLINED),
            27 => style.add_modifier.remove(Modifier::REVERSED),
            29 => style.add_modifier.remove(Modifier::CROSSED_OUT),
            30..=37 => style.fg = Some(BASIC[(n - 30) as usize]),
            38 => style.fg = extended(&mut nums).or(style.fg),
            39 => style.fg = None,
            40..=47 => style.bg = Some(BASIC[(n - 40) as usize]),
            48 => style.bg = extended(&mut nums).or(style.bg),
            49 => style.bg = None,
            90..=97 => style.fg = Some(BRIGHT[(n - 90) as usize]),
            100..=107 => style.bg = Some(BRIGHT[(n - 100) as usize]),
            _ => {}
        }
    }
}

/// `5;n` (palette) or `2;r;g;b` (true colour) after 38/48; the values are
/// consumed even when out of range, so they are not read as attributes.
fn extended(nums: &mut impl Iterator<Item = u32>) -> Option<Color> {
    let byte = |n: Option<u32>| n.and_then(|n| u8::try_from(n).ok());
    match nums.next()? {
        5 => byte(nums.next()).map(Color::Indexed),
        2 => {
            let (r, g, b) = (byte(nums.next()), byte(nums.next()), byte(nums.next()));
            Some(Color::Rgb(r?, g?, b?))
        }
        _ => None,
    }
}

/// An empty parameter means 0; huge ones saturate instead of overflowing.
fn number(s: &str) -> u32 {
    s.bytes().filter(u8::is_ascii_digit).fold(0u32, |n, b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}
