//! Charts drawn on the server as SVG with plotters: shapes and text as attributes only (no
//! scripts, no style attributes), so the console's strict CSP allows them inline, and they
//! print and read without JavaScript. Each sits above the table with the same figures, which
//! is what screen readers read; the chart itself is hidden from them.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: what it is, how long it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// The console's ink: dark blue bars (well over 3:1 on white), black text.
const BAR: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
const FONT: &str = "sans-serif";

/// Labels along an axis, at most this many, so they never overlap.
const MOST_LABELS: usize = 12;

/// Upright bars, one per label (days, months), against a scale of `unit`.
pub fn columns(bars: &[Bar], unit: &str, percent: bool) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let mut svg = String::new();
    let drawn = draw_columns(&mut svg, bars, unit, percent);
    finish(svg, drawn)
}

fn draw_columns(svg: &mut String, bars: &[Bar], unit: &str, percent: bool) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, (960, 340)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let n = u32::try_from(bars.len()).map_err(|e| e.to_string())?;
    let (top, ticks) =
        if percent { (100.0, 11) } else { count_scale(bars.iter().map(|b| b.value).fold(0.0, f64::max)) };
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d((0..n).into_segmented(), 0.0..top)
        .map_err(|e| e.to_string())?;
    let label_of = |value: &SegmentValue<u32>| label_at(bars, value);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(bars.len().min(MOST_LABELS))
        .x_label_formatter(&label_of)
        .y_desc(unit)
        .y_labels(ticks)
        .y_label_formatter(&|v: &f64| whole_label(*v, percent))
        .label_style((FONT, 18).into_font().color(&BLACK))
        .axis_desc_style((FONT, 18).into_font().color(&BLACK))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(bars.iter().zip(0..n).map(|(bar, i)| {
            let mut shape =
                Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), bar.value)], BAR.filled());
            shape.set_margin(0, 0, 1, 1);
            shape
        }))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// The top of a count axis and how many ticks it has, so that every tick is a whole number:
/// steps of 1, 2 or 5 times a power of ten, at most about six of them, the top a step above the
/// highest bar.
fn count_scale(highest: f64) -> (f64, usize) {
    let highest = if highest.is_finite() { highest.max(0.0) } else { 0.0 };
    let mut power = 1.0;
    loop {
        for factor in [1.0, 2.0, 5.0] {
            let step = factor * power;
            if highest / step <= 5.0 {
                let steps = (highest / step).floor() + 1.0;
                return (steps * step, steps as usize + 1);
            }
        }
        power *= 10.0;
    }
}

/// A tick's label: a whole number (a count of people cannot be 0.5), or nothing.
fn whole_label(value: f64, percent: bool) -> String {
    let whole = value.round();
    if (value - whole).abs() > 1e-9 {
        String::new()
    } else if percent {
        format!("{whole:.0}%")
    } else {
        format!("{whole:.0}")
    }
}

/// Lying bars, one per label (activities), 0–100 %, the figure written at each bar's end.
pub fn rows_percent(bars: &[Bar]) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let mut svg = String::new();
    let drawn = draw_rows(&mut svg, bars);
    finish(svg, drawn)
}

/// Height of one lying bar and its gap.
const ROW: u32 = 30;

fn draw_rows(svg: &mut String, bars: &[Bar]) -> Result<(), String> {
    let n = u32::try_from(bars.len()).map_err(|e| e.to_string())?;
    let height = n.saturating_mul(ROW).saturating_add(70);
    let root = SVGBackend::with_string(svg, (960, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(300)
        .build_cartesian_2d(0.0..112.0, (0..n).into_segmented())
        .map_err(|e| e.to_string())?;
    let label_of = |value: &SegmentValue<u32>| label_at(bars, value);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.len())
        .y_label_formatter(&label_of)
        .x_labels(6)
        .x_label_formatter(&|v: &f64| if *v <= 100.0 { format!("{v:.0}%") } else { String::new() })
        .label_style((FONT, 18).into_font().color(&BLACK))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(bars.iter().zip(0..n).map(|(bar, i)| {
            let mut shape = Rectangle::new(
                [(0.0, SegmentValue::Exact(i)), (bar.value.min(112.0), SegmentValue::Exact(i + 1))],
                BAR.filled(),
            );
            shape.set_margin(4, 4, 0, 0);
            shape
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(bars.iter().zip(0..n).map(|(bar, i)| {
            Text::new(
                format!("{:.0}%", bar.value),
                (bar.value.min(100.0) + 1.0, SegmentValue::CenterOf(i)),
                (FONT, 18).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// The label of the bar at a place along the axis of bars.
fn label_at(bars: &[Bar], value: &SegmentValue<u32>) -> String {
    match value {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
            bars.get(*i as usize).map(|bar| bar.label.clone()).unwrap_or_default()
        }
        SegmentValue::Last => String::new(),
    }
}

/// A chart that could not be drawn is left out, and said in the log: the table is still there.
fn finish(svg: String, drawn: Result<(), String>) -> Option<String> {
    match drawn {
        Ok(()) => Some(svg),
        Err(error) => {
            tracing::warn!(%error, "a report's chart could not be drawn");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(values: &[f64]) -> Vec<Bar> {
        values.iter().enumerate().map(|(i, v)| Bar { label: format!("第{i}天"), value: *v }).collect()
    }

    /// The labels of the count axis: the text at the left edge, top to bottom.
    fn y_labels(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter(|text| text.contains("text-anchor=\"end\""))
            .filter_map(|text| Some(text.split('>').nth(1)?.split('<').next()?.trim().to_owned()))
            .collect()
    }

    #[test]
    fn a_count_axis_has_whole_numbers_only() {
        for (highest, expected) in [
            (1.0, vec!["2", "1", "0"]),
            (3.0, vec!["4", "3", "2", "1", "0"]),
            (37.0, vec!["40", "30", "20", "10", "0"]),
        ] {
            let svg = columns(&bars(&[highest, 0.0]), "人", false).unwrap();
            let mut labels = y_labels(&svg);
            labels.retain(|label| !label.is_empty());
            assert!(labels.iter().all(|l| l.parse::<u32>().is_ok()), "{highest}: {labels:?}");
            let mut unique = labels.clone();
            unique.dedup();
            assert_eq!(unique, labels, "{highest}: no label twice");
            for label in expected {
                assert!(labels.contains(&label.to_owned()), "{highest}: {label} in {labels:?}");
            }
        }
        assert_eq!(count_scale(0.0), (1.0, 2));
        assert_eq!(count_scale(12.0), (15.0, 4));
        assert_eq!(count_scale(f64::NAN), (1.0, 2));
    }

    #[test]
    fn a_chart_is_an_svg_with_its_labels_and_no_style_or_script() {
        let svg = columns(&bars(&[3.0, 0.0, 7.0]), "人", false).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("第2天") && svg.contains("人"), "labels and the unit are text in the SVG");
        assert!(!svg.contains("style=") && !svg.contains("<script"), "the CSP would refuse it");
        assert_eq!(svg.matches("fill=\"#1F4E79\"").count(), 3, "a bar for each, the empty one too");
        let rows = rows_percent(&bars(&[100.0, 40.0])).unwrap();
        assert!(rows.contains("40%") && rows.contains("第1天"));
        assert!(columns(&[], "人", false).is_none(), "nothing to draw, no chart");
    }
}
