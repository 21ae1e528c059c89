//! The GitHub Actions format: one workflow command per finding
//! (`::error file=app.py,line=3,col=9,endLine=3,endColumn=19,title=FH101 debug-mode-enabled::message`);
//! high is `error`, medium `warning`, low `notice`.

use std::io::{self, Write};

use super::{OutputOptions, display_path, positions};
use crate::analysis::Severity;
use crate::analysis::engine::Report;

/// Writes one annotation per finding.
pub fn write(report: &Report, options: &OutputOptions, out: &mut dyn Write) -> io::Result<()> {
    for (file, diagnostic) in report.diagnostics() {
        let level = match diagnostic.severity {
            Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "notice",
        };
        let ((line, column), (end_line, end_column)) = positions(file, diagnostic.range);
        let path = display_path(file.source.path(), &options.cwd);
        let title = format!("{} {}", diagnostic.rule.code(), diagnostic.rule.name());
        writeln!(
            out,
            "::{level} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
            escape_property(&path),
            escape_property(&title),
            escape_data(&format!(
                "{} [{}] {}",
                diagnostic.rule.code(),
                diagnostic.severity,
                diagnostic.message
            ))
        )?;
    }
    Ok(())
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_syntax() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
