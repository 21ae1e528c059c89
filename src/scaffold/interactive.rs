//! Every prompt lives here: one dialoguer widget per question kind, showing the
//! question's default and validating typed text with the manifest's rules.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Select};

use super::ScaffoldError;
use super::answers::validate;
use super::manifest::{Answer, Question, QuestionKind};

/// Asks one question on the terminal (prompts are drawn on stderr).
pub fn ask(question: &Question) -> Result<Answer, ScaffoldError> {
    let theme = ColorfulTheme::default();
    let prompt_error = |err: dialoguer::Error| ScaffoldError::Prompt(err.to_string());
    match &question.kind {
        QuestionKind::Bool => {
            let default = question.default == Answer::Bool(true);
            Confirm::with_theme(&theme)
                .with_prompt(&question.prompt)
                .default(default)
                .interact()
                .map(Answer::Bool)
                .map_err(prompt_error)
        }
        QuestionKind::Choice { choices } => {
            let default = choices
                .iter()
                .position(|choice| Answer::Text(choice.clone()) == question.default)
                .unwrap_or(0);
            let index = Select::with_theme(&theme)
                .with_prompt(&question.prompt)
                .items(choices)
                .default(default)
                .interact()
                .map_err(prompt_error)?;
            Ok(Answer::Text(choices[index].clone()))
        }
        QuestionKind::Text { .. } => {
            let text: String = Input::with_theme(&theme)
                .with_prompt(&question.prompt)
                .default(question.default.to_string())
                .allow_empty(true)
                .validate_with(|input: &String| -> Result<(), String> {
                    validate(question, input)
                        .map(|_| ())
                        .map_err(|err| err.to_string())
                })
                .interact_text()
                .map_err(prompt_error)?;
            validate(question, &text)
        }
    }
}
