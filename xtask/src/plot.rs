//! A small SVG chart of proving time and peak memory against cycles, written by
//! `cargo xtask bench prove` (no plotting dependency: two polylines on log-scaled cycles).

use std::fmt::Write as _;

/// One measured size.
pub(crate) struct Point {
    pub(crate) cycles: u64,
    pub(crate) prove_s: f64,
    pub(crate) peak_rss_mib: f64,
}

/// Canvas size and margins, in pixels.
const W: f64 = 640.0;
const H: f64 = 360.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 70.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;

/// The chart as an SVG document: proving time (left axis) and peak RSS (right axis) against
/// cycles (log scale).
pub(crate) fn prove_chart(points: &[Point], title: &str) -> String {
    let (plot_w, plot_h) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let log = |c: u64| (c.max(1) as f64).log2();
    let (x_min, x_max) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(log(p.cycles)), hi.max(log(p.cycles)))
    });
    let (x_min, x_max) = (x_min.floor(), x_max.ceil().max(x_min.floor() + 1.0));
    let max_s = points.iter().map(|p| p.prove_s).fold(0.0, f64::max) * 1.1;
    let max_mib = points.iter().map(|p| p.peak_rss_mib).fold(0.0, f64::max) * 1.1;
    let x = |c: u64| LEFT + (log(c) - x_min) / (x_max - x_min) * plot_w;
    let y = |v: f64, max: f64| TOP + plot_h - v / max.max(1e-9) * plot_h;

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="20" text-anchor="middle" font-size="14">{title}</text>"#,
        W / 2.0
    );
    let (x0, y0, x1) = (LEFT, TOP + plot_h, LEFT + plot_w);
    let _ = writeln!(
        svg,
        r#"<path d="M{x0},{TOP} L{x0},{y0} L{x1},{y0} L{x1},{TOP}" fill="none" stroke="black"/>"#
    );
    for k in x_min as u32..=x_max as u32 {
        let xk = LEFT + (f64::from(k) - x_min) / (x_max - x_min) * plot_w;
        let _ = writeln!(
            svg,
            r##"<line x1="{xk}" y1="{y0}" x2="{xk}" y2="{TOP}" stroke="#ddd"/><text x="{xk}" y="{}" text-anchor="middle">2^{k}</text>"##,
            y0 + 18.0
        );
    }
    for i in 0..=4 {
        let f = f64::from(i) / 4.0;
        let yi = TOP + plot_h - f * plot_h;
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end" fill="#1f77b4">{:.1}</text><text x="{}" y="{}" fill="#d62728">{:.0}</text>"##,
            LEFT - 6.0,
            yi + 4.0,
            f * max_s,
            x1 + 6.0,
            yi + 4.0,
            f * max_mib
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="{}" text-anchor="middle">guest cycles</text><text x="16" y="{}" fill="#1f77b4" transform="rotate(-90 16 {})" text-anchor="middle">proving time (s)</text><text x="{}" y="{}" fill="#d62728" transform="rotate(90 {} {})" text-anchor="middle">peak RSS (MiB)</text>"##,
        LEFT + plot_w / 2.0,
        H - 10.0,
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0,
        W - 16.0,
        TOP + plot_h / 2.0,
        W - 16.0,
        TOP + plot_h / 2.0
    );
    for (color, value, max) in [
        (
            "#1f77b4",
            &(|p: &Point| p.prove_s) as &dyn Fn(&Point) -> f64,
            max_s,
        ),
        ("#d62728", &|p: &Point| p.peak_rss_mib, max_mib),
    ] {
        let line: Vec<String> = points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.cycles), y(value(p), max)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
            line.join(" ")
        );
        for p in points {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{color}"/>"#,
                x(p.cycles),
                y(value(p), max)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_has_a_point_per_size_on_both_series() {
        let points = [
            Point {
                cycles: 1 << 16,
                prove_s: 1.5,
                peak_rss_mib: 240.0,
            },
            Point {
                cycles: 1 << 20,
                prove_s: 20.0,
                peak_rss_mib: 3000.0,
            },
        ];
        let svg = prove_chart(&points, "t");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 4);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains(">2^16<") && svg.contains(">2^20<"));
    }
}
