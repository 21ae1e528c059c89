//! What FH108 `missing-max-content-length`, FH202 `missing-security-headers`
//! and FH203 `missing-rate-limiting` share: an application that lacks a
//! protection the whole project is searched for. Each rule decides whether
//! the project lacks it and words its message; this module reports one
//! finding per application at its `Flask(...)` call and builds the
//! remediation from the facts the project model keeps of the site
//! ([`AppFacts`](crate::analysis::app_fixes::AppFacts)), by a table of
//! [`AppRequirement`]s: a `MAX_CONTENT_LENGTH` line where the application is
//! complete, or an extension applied there, or (the extensions pattern)
//! created in the extensions module and applied in the factory.

use crate::analysis::app_fixes::{LIMITER_INSTANCE, TALISMAN_INSTANCE, max_content_length_fix};
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::{Diagnostic, Fix};
use crate::analysis::project::{AppSite, Extension, ProjectModel};

/// How the remediation of an [`AppRequirement`] applies.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Remedy {
    /// A bounded `MAX_CONTENT_LENGTH`, chosen by the project's upload views.
    MaxContentLength,
    /// An extension applied to the application.
    Extension {
        /// Which.
        extension: Extension,
        /// The instance name an extensions module gets.
        instance: &'static str,
        /// What it does, for the message of the extensions-pattern fix.
        what: &'static str,
    },
}

/// One row of the table: a rule and how its remediation applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AppRequirement {
    /// The rule reported.
    pub rule: Rule,
    /// Its remediation.
    pub remedy: Remedy,
}

/// FH108.
pub(crate) const MAX_CONTENT_LENGTH: AppRequirement = AppRequirement {
    rule: Rule::MissingMaxContentLength,
    remedy: Remedy::MaxContentLength,
};

/// FH202.
pub(crate) const SECURITY_HEADERS: AppRequirement = AppRequirement {
    rule: Rule::MissingSecurityHeaders,
    remedy: Remedy::Extension {
        extension: Extension::Talisman,
        instance: TALISMAN_INSTANCE,
        what: "flask-talisman (HTTPS except while app.testing, HSTS, strict Content-Security-Policy, nosniff)",
    },
};

/// FH203.
pub(crate) const RATE_LIMITING: AppRequirement = AppRequirement {
    rule: Rule::MissingRateLimiting,
    remedy: Remedy::Extension {
        extension: Extension::Limiter,
        instance: LIMITER_INSTANCE,
        what: "Flask-Limiter (keyed on the remote address, default limits, not while testing; RATELIMIT_STORAGE_URI from the environment, memory:// by default)",
    },
};

/// One finding of `requirement` per application of the project, at its
/// `Flask(...)` call, with `message` and the remediation for the site.
pub(crate) fn findings(
    model: &ProjectModel,
    requirement: &AppRequirement,
    message: &str,
) -> Vec<(usize, Diagnostic)> {
    let limit = model.body_limit();
    model
        .apps()
        .map(|(file, app)| {
            let mut diagnostic = Diagnostic::new(requirement.rule, app.range, message);
            diagnostic.fix = match requirement.remedy {
                Remedy::MaxContentLength => Some(max_content_length_fix(&app.facts, limit)),
                Remedy::Extension {
                    extension,
                    instance,
                    what,
                } => extension_fix(model, file, app, extension, instance, what),
            };
            diagnostic.parent = Some(app.statement);
            (file, diagnostic)
        })
        .collect()
}

/// The remediation of FH202 or FH203 for an application: in its extensions
/// module and factory when it uses that pattern and the module can take the
/// instance, else where the application is created. `None` when the rule is
/// not enabled in the application's file (nothing was built).
fn extension_fix(
    model: &ProjectModel,
    file: usize,
    app: &AppSite,
    extension: Extension,
    name: &str,
    what: &str,
) -> Option<Fix> {
    let talisman = extension == Extension::Talisman;
    let local = if talisman {
        app.facts.talisman.as_ref()
    } else {
        app.facts.limiter.as_ref()
    }?;
    let pattern = || -> Option<Fix> {
        let uses = app.facts.extensions.as_ref()?;
        let factory_edits = if talisman {
            &uses.talisman
        } else {
            &uses.limiter
        };
        if factory_edits.is_empty() {
            return None;
        }
        let module = model.resolve_module(file, uses.level, &uses.module)?;
        let slots = module.extension_slots.as_ref()?;
        let module_edits = if talisman {
            slots.talisman.as_ref()?
        } else {
            slots.limiter.as_ref()?
        };
        let message = if module_edits.is_empty() {
            format!(
                "Apply the `{name}` of {} with `{name}.init_app(app)` after the factory's other extensions: {what}",
                module.relative
            )
        } else {
            format!(
                "Create `{name}` in {} and apply it with `{name}.init_app(app)` after the factory's other extensions: {what}; add it to the dependencies",
                module.relative
            )
        };
        let mut fix = Fix::new(local.applicability, message, factory_edits.clone())
            .with_other_file(
                module.path.clone(),
                module_edits.clone(),
                slots.secrets.clone(),
            );
        // The templates' nonces go with the remediation whatever its shape,
        // and so do its side effects (the same code, in the factory).
        fix.other_files.extend(local.other_files.iter().cloned());
        fix.env_vars.clone_from(&local.env_vars);
        fix.dependencies.clone_from(&local.dependencies);
        Some(fix)
    };
    Some(pattern().unwrap_or_else(|| local.clone()))
}
