//! An error at a line of a text file a person wrote (a lesson, a scenario),
//! and all of a file's errors together, so a writer can mend them at once.

use std::fmt;

/// A problem and the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct Located<P: fmt::Display + fmt::Debug> {
    pub line: usize,
    pub problem: P,
}

/// Every problem of one file, in line order; shown one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineErrors<P: fmt::Display + fmt::Debug>(pub Vec<Located<P>>);

impl<P: fmt::Display + fmt::Debug> LineErrors<P> {
    /// The problems, sorted by line (stable: the order found within a line).
    pub fn sorted(mut list: Vec<Located<P>>) -> Self {
        list.sort_by_key(|e| e.line);
        Self(list)
    }

    /// `Ok(value)` when there is no problem.
    pub fn or_ok<T>(list: Vec<Located<P>>, value: T) -> Result<T, Self> {
        if list.is_empty() {
            Ok(value)
        } else {
            Err(Self::sorted(list))
        }
    }
}

impl<P: fmt::Display + fmt::Debug> fmt::Display for LineErrors<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl<P: fmt::Display + fmt::Debug> std::error::Error for LineErrors<P> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_shown_in_line_order_one_per_line() {
        let list = vec![Located { line: 9, problem: "late" }, Located { line: 2, problem: "early" }];
        assert_eq!(LineErrors::or_ok(list, ()).unwrap_err().to_string(), "line 2: early\nline 9: late");
        assert_eq!(LineErrors::<&str>::or_ok(vec![], 5), Ok(5));
    }
}
