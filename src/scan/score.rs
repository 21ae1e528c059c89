//! Scoring and grades, as the Observatory computes them: start at 100, apply
//! the penalties; only when that leaves at least 90 do the bonuses count too;
//! clamp at 0 (no upper bound); the grade comes from the score rounded down to
//! a multiple of five (capped at 100).

use std::fmt;
use std::str::FromStr;

/// Letter grades, worst first so that `<` means "worse than".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    F,
    DMinus,
    D,
    DPlus,
    CMinus,
    C,
    CPlus,
    BMinus,
    B,
    BPlus,
    AMinus,
    A,
    APlus,
}

const NAMES: [(Grade, &str); 13] = [
    (Grade::APlus, "A+"),
    (Grade::A, "A"),
    (Grade::AMinus, "A-"),
    (Grade::BPlus, "B+"),
    (Grade::B, "B"),
    (Grade::BMinus, "B-"),
    (Grade::CPlus, "C+"),
    (Grade::C, "C"),
    (Grade::CMinus, "C-"),
    (Grade::DPlus, "D+"),
    (Grade::D, "D"),
    (Grade::DMinus, "D-"),
    (Grade::F, "F"),
];

impl Grade {
    /// The grade of a score.
    pub fn from_score(score: i32) -> Self {
        let bucket = (score.max(0) / 5 * 5).min(100);
        match bucket {
            100 => Grade::APlus,
            90 | 95 => Grade::A,
            85 => Grade::AMinus,
            80 => Grade::BPlus,
            70 | 75 => Grade::B,
            65 => Grade::BMinus,
            60 => Grade::CPlus,
            50 | 55 => Grade::C,
            45 => Grade::CMinus,
            40 => Grade::DPlus,
            30 | 35 => Grade::D,
            25 => Grade::DMinus,
            _ => Grade::F,
        }
    }

    pub fn as_str(self) -> &'static str {
        NAMES
            .iter()
            .find(|(g, _)| *g == self)
            .map(|(_, n)| *n)
            .unwrap_or("F")
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown grade name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown grade {0:?} (expected one of A+, A, A-, B+, B, B-, C+, C, C-, D+, D, D-, F)")]
pub struct GradeError(String);

impl FromStr for Grade {
    type Err = GradeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_uppercase();
        NAMES
            .iter()
            .find(|(_, n)| *n == wanted)
            .map(|(g, _)| *g)
            .ok_or_else(|| GradeError(s.to_string()))
    }
}

/// The score for a list of modifiers.
pub fn score(modifiers: impl IntoIterator<Item = i32>) -> i32 {
    let modifiers: Vec<i32> = modifiers.into_iter().collect();
    let penalised = 100 + modifiers.iter().filter(|m| **m < 0).sum::<i32>();
    let score = if penalised >= 90 {
        100 + modifiers.iter().sum::<i32>()
    } else {
        penalised
    };
    score.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bonuses_count_only_from_ninety() {
        assert_eq!(score([10, 5, 5, 0]), 120);
        assert_eq!(score([-10, 10, 5]), 105);
        assert_eq!(score([-15, 10, 5]), 85);
        assert_eq!(score([-11, 10]), 89);
        assert_eq!(score([]), 100);
    }

    #[test]
    fn clamped_at_zero_only() {
        assert_eq!(score([-50, -40, -25, -20, -20]), 0);
        assert_eq!(score([10, 10, 10, 10, 5, 5, 5, 5]), 160);
    }

    #[test]
    fn grade_table() {
        let table = [
            (160, "A+"),
            (100, "A+"),
            (99, "A"),
            (95, "A"),
            (90, "A"),
            (89, "A-"),
            (85, "A-"),
            (80, "B+"),
            (79, "B"),
            (70, "B"),
            (65, "B-"),
            (60, "C+"),
            (55, "C"),
            (50, "C"),
            (45, "C-"),
            (40, "D+"),
            (35, "D"),
            (30, "D"),
            (25, "D-"),
            (24, "F"),
            (0, "F"),
            (-5, "F"),
        ];
        for (score, grade) in table {
            assert_eq!(Grade::from_score(score).as_str(), grade, "score {score}");
        }
    }

    #[test]
    fn grades_parse_and_order() {
        assert_eq!("a+".parse::<Grade>(), Ok(Grade::APlus));
        assert_eq!(" B- ".parse::<Grade>(), Ok(Grade::BMinus));
        assert!("E".parse::<Grade>().is_err());
        assert!(Grade::BPlus < Grade::AMinus);
        assert!(Grade::F < Grade::DMinus);
        for (g, n) in NAMES {
            assert_eq!(n.parse::<Grade>(), Ok(g));
        }
    }
}
