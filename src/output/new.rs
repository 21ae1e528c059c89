//! How `flask-harden new` reports what it generated: the answers used (with
//! the defaults marked), the created folder, the next step, and the private
//! files an existing project kept. The questions themselves are asked by
//! [`crate::scaffold::interactive`].

use std::io::{self, Write};

use crate::scaffold::Template;
use crate::scaffold::answers::{Answers, Source};

/// Prints the answers used, what was created from which template, and the
/// next step; then one line per private file that was kept (`kept`, paths
/// relative to the project).
pub fn write_summary(
    out: &mut dyn Write,
    template: &Template,
    answers: &Answers,
    file_count: usize,
    kept: &[String],
) -> io::Result<()> {
    writeln!(out, "Answers used:")?;
    for (name, answer, source) in &answers.values {
        let note = if *source == Source::Default {
            "  (default)"
        } else {
            ""
        };
        writeln!(out, "  {name} = {answer}{note}")?;
    }
    writeln!(
        out,
        "Created {}/ from the {} ({file_count} files).",
        answers.project_name(),
        template.origin
    )?;
    writeln!(
        out,
        "Next: cd {} and follow its README.md.",
        answers.project_name()
    )?;
    for path in kept {
        writeln!(
            out,
            "Kept the existing {}: the template's version was not written (its secrets stay as they were).",
            path
        )?;
    }
    Ok(())
}
