//! The interactive question asked before each remediation on a terminal:
//! `Apply? [y]es [n]o [a]ll remaining [q]uit [?] explain` (dialoguer).

/// The question, as printed.
pub const QUESTION: &str = "Apply? [y]es [n]o [a]ll remaining [q]uit [?] explain";

/// One answer to [`QUESTION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Apply this one.
    Yes,
    /// Skip this one.
    No,
    /// Apply this one and every remaining one without asking.
    All,
    /// Stop asking; apply only what was accepted.
    Quit,
    /// Explain the rule, then ask again.
    Explain,
}

/// Reads an answer from the terminal, asking again on anything else than
/// y/yes, n/no, a/all, q/quit or ?. End of input counts as quit.
pub fn ask() -> std::io::Result<Answer> {
    loop {
        let input = dialoguer::Input::<String>::new()
            .with_prompt(QUESTION)
            .allow_empty(true)
            .interact_text();
        let line = match input {
            Ok(line) => line,
            Err(dialoguer::Error::IO(err)) if err.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Ok(Answer::Quit);
            }
            Err(dialoguer::Error::IO(err)) => return Err(err),
        };
        if let Some(answer) = parse(&line) {
            return Ok(answer);
        }
    }
}

/// Parses one typed answer.
pub fn parse(line: &str) -> Option<Answer> {
    match line.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(Answer::Yes),
        "n" | "no" => Some(Answer::No),
        "a" | "all" => Some(Answer::All),
        "q" | "quit" => Some(Answer::Quit),
        "?" | "h" | "help" => Some(Answer::Explain),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert_eq!(parse(" Y\n"), Some(Answer::Yes));
        assert_eq!(parse("all"), Some(Answer::All));
        assert_eq!(parse("?"), Some(Answer::Explain));
        assert_eq!(parse("q"), Some(Answer::Quit));
        assert_eq!(parse("n"), Some(Answer::No));
        assert_eq!(parse("maybe"), None);
    }
}
