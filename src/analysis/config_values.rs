//! Configuration settings as rules see them, whatever the syntax: a module-level
//! or class-level `NAME = value`, `app.config["NAME"] = value`,
//! `app.config.update(NAME=value)` / `update({"NAME": value})` /
//! `from_mapping(...)` / `setdefault("NAME", value)`, and `dict(NAME=value)`
//! inside those calls. Rules ask for the settings of a statement or a call and
//! match on [`ConfigSetting::key`].

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::semantic::{SemanticModel, is_development_name};

/// How a setting was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingForm {
    /// `NAME = value` at module level.
    ModuleVariable,
    /// `NAME = value` in a class body (config classes).
    ClassAttribute,
    /// `app.config["NAME"] = value` (or `config["NAME"]`, `settings["NAME"]`).
    Subscript,
    /// `update(NAME=value)` / `from_mapping(NAME=value)` / `dict(NAME=value)`.
    Keyword,
    /// `update({"NAME": value})` / `from_mapping({...})`.
    DictEntry,
    /// `setdefault("NAME", value)`.
    SetDefault,
    /// `obj.NAME = value` where `obj` is loaded with `from_object(obj)`.
    ObjectAttribute,
}

/// One configuration setting.
#[derive(Debug, Clone, Copy)]
pub struct ConfigSetting<'a> {
    /// The setting's name, e.g. `DEBUG`.
    pub key: &'a str,
    /// The range of the name as written (the target, the keyword or the string key).
    pub key_range: TextRange,
    /// The assigned value.
    pub value: &'a Expr,
    /// The syntax used.
    pub form: SettingForm,
}

impl ConfigSetting<'_> {
    /// The range a finding on this setting points at: the keyword argument
    /// (`DEBUG=True`) for keyword forms, else the value.
    pub fn finding_range(&self) -> TextRange {
        match self.form {
            SettingForm::Keyword => self.key_range.cover(self.value.range()),
            _ => self.value.range(),
        }
    }
}

/// Settings assigned by a statement: `NAME = v` (module level or class body only,
/// upper-case names), `x.config["NAME"] = v`, `config["NAME"] = v`.
pub fn settings_in_stmt<'a>(
    semantic: &SemanticModel<'a>,
    stmt: &'a Stmt,
) -> Vec<ConfigSetting<'a>> {
    let (targets, value): (&[Expr], &Expr) = match stmt {
        Stmt::Assign(assign) => (&assign.targets, &assign.value),
        Stmt::AnnAssign(assign) => match &assign.value {
            Some(value) => (std::slice::from_ref(&*assign.target), value),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for target in targets {
        match target {
            Expr::Name(name) if is_setting_name(&name.id) => {
                let form = if semantic.class_body().is_some() {
                    SettingForm::ClassAttribute
                } else if semantic.at_module_level() {
                    SettingForm::ModuleVariable
                } else {
                    continue;
                };
                out.push(ConfigSetting {
                    key: name.id.as_str(),
                    key_range: name.range(),
                    value,
                    form,
                });
            }
            // `settings = Settings()`, `settings.SESSION_COOKIE_SECURE = False`,
            // then `app.config.from_object(settings)`.
            Expr::Attribute(attr)
                if is_setting_name(attr.attr.as_str())
                    && matches!(&*attr.value, Expr::Name(object)
                        if semantic.is_loaded_config_object(object.id.as_str())) =>
            {
                out.push(ConfigSetting {
                    key: attr.attr.as_str(),
                    key_range: attr.attr.range(),
                    value,
                    form: SettingForm::ObjectAttribute,
                });
            }
            Expr::Subscript(sub) if is_config_object(&sub.value) => {
                if let Expr::StringLiteral(key) = &*sub.slice {
                    out.push(ConfigSetting {
                        key: key.value.to_str(),
                        key_range: key.range(),
                        value,
                        form: SettingForm::Subscript,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Settings passed by a call: `<config>.update(...)`, `.from_mapping(...)`,
/// `.setdefault("NAME", v)`, where `<config>` is `x.config`, `config` or `settings`.
pub fn settings_in_call(call: &ast::ExprCall) -> Vec<ConfigSetting<'_>> {
    let Expr::Attribute(attr) = &*call.func else {
        return Vec::new();
    };
    let method = attr.attr.as_str();
    let on_config = is_config_object(&attr.value);
    let mut out = Vec::new();
    match method {
        "update" | "from_mapping" if on_config || method == "from_mapping" => {
            collect_mapping_arguments(&call.arguments, &mut out);
        }
        "setdefault" if on_config => {
            if let (Some(Expr::StringLiteral(key)), Some(value)) = (
                call.arguments.find_positional(0),
                call.arguments.find_positional(1),
            ) {
                out.push(ConfigSetting {
                    key: key.value.to_str(),
                    key_range: key.range(),
                    value,
                    form: SettingForm::SetDefault,
                });
            }
        }
        _ => {}
    }
    out
}

/// What a configuration load (`<config>.update(x)`, `from_mapping(x)`,
/// `<config>.from_object(x)`, `from_pyfile`, `from_file`, `from_envvar`,
/// `from_prefixed_env`) passes when its argument is not written inline.
#[derive(Debug)]
pub enum MappingLoad<'a> {
    /// Nothing to resolve: no such call, the settings are written inline
    /// (see [`settings_in_call`]), `from_object(...)` (a class or module whose
    /// attributes are settings where it is defined), or a test-override parameter.
    Inline,
    /// A variable bound to a dict literal or `dict(...)`: its settings.
    Resolved(Vec<ConfigSetting<'a>>),
    /// A mapping the analysis cannot see (a call result, a parameter, an
    /// imported variable), or configuration read from outside the analysed
    /// code (an environment variable, a data file, a Python file that is not
    /// in the project or is optional): it may set any key.
    Opaque,
}

/// Resolves the argument of a configuration load in the module at `path`: a
/// variable assigned a dict literal (`SETTINGS = {...}` then
/// `app.config.from_mapping(SETTINGS)`) gives its settings; a call result or a
/// parameter is [`MappingLoad::Opaque`], and so is every load from outside the
/// analysed code: `from_envvar(...)`, `from_prefixed_env()`, `from_file(...)`,
/// and `from_pyfile(...)` unless it names, as a literal, a Python file beside
/// `path` (which the project's own analysis reads) without `silent=True`.
pub fn mapping_load<'a>(
    semantic: &SemanticModel<'a>,
    call: &'a ast::ExprCall,
    path: &std::path::Path,
) -> MappingLoad<'a> {
    let Expr::Attribute(attr) = &*call.func else {
        return MappingLoad::Inline;
    };
    let method = attr.attr.as_str();
    let on_config = is_config_object(&attr.value);
    match method {
        "from_envvar" | "from_prefixed_env" | "from_file" if on_config => {
            return MappingLoad::Opaque;
        }
        "from_pyfile" if on_config => return python_file_load(semantic, call, path),
        _ => {}
    }
    let is_load = match method {
        "from_mapping" => true,
        "update" | "from_object" => on_config,
        _ => false,
    };
    let Some(argument) = call.arguments.find_positional(0).filter(|_| is_load) else {
        return MappingLoad::Inline;
    };
    match argument {
        Expr::Dict(_) | Expr::StringLiteral(_) => MappingLoad::Inline,
        Expr::Call(inner) if is_dict_call(inner) => MappingLoad::Inline,
        // `from_object` loads a class or module (`Config`, `config[name]`,
        // `"config.Prod"`): its attributes are settings where it is defined.
        _ if method == "from_object" => MappingLoad::Inline,
        // The test-override parameter of the application-factory pattern
        // (`def create_app(test_config=None): ... app.config.update(test_config)`)
        // only matters in tests.
        Expr::Name(name) if is_development_name(&name.id) && is_parameter(semantic, &name.id) => {
            MappingLoad::Inline
        }
        Expr::Name(name) => {
            let mut out = Vec::new();
            match semantic.assigned_value(&name.id) {
                Some(Expr::Dict(dict)) => collect_dict_entries(dict, &mut out),
                Some(Expr::Call(inner)) if is_dict_call(inner) => {
                    collect_mapping_arguments(&inner.arguments, &mut out);
                }
                _ => return MappingLoad::Opaque,
            }
            MappingLoad::Resolved(out)
        }
        _ => MappingLoad::Opaque,
    }
}

/// `<config>.from_pyfile(name)`: a literal name of a Python file that exists
/// beside the loading module (Flask resolves it against the application's root
/// folder) is analysed with the project, so its settings count where they are
/// written ([`MappingLoad::Inline`]). Anything else is [`MappingLoad::Opaque`]:
/// a computed or environment-given name, a file outside the project (a
/// deployment's instance folder), `silent=True` (the file is optional, so it
/// is deployment configuration), or an application created with
/// `instance_relative_config=True` (the name is relative to its instance
/// folder, which holds deployment configuration).
fn python_file_load<'a>(
    semantic: &SemanticModel,
    call: &'a ast::ExprCall,
    path: &std::path::Path,
) -> MappingLoad<'a> {
    let Expr::Attribute(load) = &*call.func else {
        return MappingLoad::Opaque;
    };
    if is_instance_relative(semantic, &load.value) {
        return MappingLoad::Opaque;
    }
    let silent = call
        .arguments
        .find_argument_value("silent", 1)
        .is_some_and(|v| !is_falsy_literal(v));
    let Some(Expr::StringLiteral(name)) = call.arguments.find_argument_value("filename", 0) else {
        return MappingLoad::Opaque;
    };
    let file = path
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(name.value.to_str());
    let in_project = file.extension().is_some_and(|e| e == "py") && file.is_file();
    if in_project && !silent {
        MappingLoad::Inline
    } else {
        MappingLoad::Opaque
    }
}

/// Whether `config` is `app.config` of an `app = Flask(...,
/// instance_relative_config=<not False>)` of this module.
fn is_instance_relative(semantic: &SemanticModel, config: &Expr) -> bool {
    let Expr::Attribute(attr) = config else {
        return false;
    };
    let Expr::Name(app) = &*attr.value else {
        return false;
    };
    matches!(semantic.assigned_value(&app.id), Some(Expr::Call(created))
        if created
            .arguments
            .find_keyword("instance_relative_config")
            .is_some_and(|k| !is_falsy_literal(&k.value)))
}

/// `dict(...)`.
fn is_dict_call(call: &ast::ExprCall) -> bool {
    matches!(&*call.func, Expr::Name(n) if n.id == "dict")
}

/// Whether `name` is a parameter of the innermost enclosing function.
fn is_parameter(semantic: &SemanticModel, name: &str) -> bool {
    semantic
        .current_function()
        .is_some_and(|f| f.parameters.iter().any(|p| p.name().as_str() == name))
}

fn collect_dict_entries<'a>(dict: &'a ast::ExprDict, out: &mut Vec<ConfigSetting<'a>>) {
    for item in &dict.items {
        if let Some(Expr::StringLiteral(key)) = &item.key {
            out.push(ConfigSetting {
                key: key.value.to_str(),
                key_range: key.range(),
                value: &item.value,
                form: SettingForm::DictEntry,
            });
        }
    }
}

fn collect_mapping_arguments<'a>(arguments: &'a ast::Arguments, out: &mut Vec<ConfigSetting<'a>>) {
    for keyword in &arguments.keywords {
        if let Some(arg) = &keyword.arg {
            out.push(ConfigSetting {
                key: arg.as_str(),
                key_range: arg.range(),
                value: &keyword.value,
                form: SettingForm::Keyword,
            });
        }
    }
    for arg in &arguments.args {
        match arg {
            Expr::Dict(dict) => collect_dict_entries(dict, out),
            Expr::Call(inner) if is_dict_call(inner) => {
                collect_mapping_arguments(&inner.arguments, out);
            }
            _ => {}
        }
    }
}

/// Whether `expr` is a Flask config mapping: `x.config`, `config`, `settings`.
pub fn is_config_object(expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(attr) => attr.attr.as_str() == "config",
        Expr::Name(name) => matches!(name.id.as_str(), "config" | "settings" | "app_config"),
        _ => false,
    }
}

/// The value of `app.secret_key = value` (any Flask application object).
pub fn app_secret_key_value<'a>(semantic: &SemanticModel, stmt: &'a Stmt) -> Option<&'a Expr> {
    let Stmt::Assign(assign) = stmt else {
        return None;
    };
    assign
        .targets
        .iter()
        .any(|target| {
            matches!(target, Expr::Attribute(attr)
                if attr.attr.as_str() == "secret_key" && semantic.is_flask_app(&attr.value))
        })
        .then_some(&*assign.value)
}

/// A read of an environment variable: `os.environ.get("K", default)`,
/// `os.getenv("K", default)`, `os.environ.setdefault("K", default)`,
/// `os.environ["K"]`.
#[derive(Debug, Clone, Copy)]
pub struct EnvironmentLookup<'a> {
    /// The variable name, when it is a literal.
    pub key: Option<&'a str>,
    /// The fallback value, if any.
    pub default: Option<&'a Expr>,
}

/// Recognises an environment lookup.
pub fn environment_lookup<'a>(
    semantic: &SemanticModel,
    expr: &'a Expr,
) -> Option<EnvironmentLookup<'a>> {
    match expr {
        Expr::Call(call) => environment_lookup_call(semantic, call),
        Expr::Subscript(sub) if semantic.resolves_to(&sub.value, &["os.environ"]) => {
            let key = match &*sub.slice {
                Expr::StringLiteral(s) => Some(s.value.to_str()),
                _ => None,
            };
            Some(EnvironmentLookup { key, default: None })
        }
        _ => None,
    }
}

/// Recognises an environment lookup call.
pub fn environment_lookup_call<'a>(
    semantic: &SemanticModel,
    call: &'a ast::ExprCall,
) -> Option<EnvironmentLookup<'a>> {
    if !semantic.resolves_to(
        &call.func,
        &[
            "os.environ.get",
            "os.getenv",
            "os.environ.setdefault",
            "os.environ.pop",
        ],
    ) {
        return None;
    }
    let key = match call.arguments.find_argument_value("key", 0) {
        Some(Expr::StringLiteral(s)) => Some(s.value.to_str()),
        _ => None,
    };
    let default = call.arguments.find_argument_value("default", 1);
    Some(EnvironmentLookup { key, default })
}

/// Upper-case setting names (`DEBUG`, `SECRET_KEY`).
fn is_setting_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether a literal is truthy in the way config switches are written:
/// `True`, a non-zero number, or a string such as `"1"`, `"true"`, `"yes"`, `"on"`.
pub fn is_truthy_literal(expr: &Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(b) => b.value,
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_u64() != Some(0),
            _ => false,
        },
        Expr::StringLiteral(s) => matches!(
            s.value.to_str().trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        ),
        _ => false,
    }
}

/// Whether a literal is falsy in the way config switches are written:
/// `False`, `0`, `None`, or `"0"`/`"false"`/`"no"`/`"off"`.
pub fn is_falsy_literal(expr: &Expr) -> bool {
    match expr {
        Expr::BooleanLiteral(b) => !b.value,
        Expr::NoneLiteral(_) => true,
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_u64() == Some(0),
            _ => false,
        },
        Expr::StringLiteral(s) => matches!(
            s.value.to_str().trim().to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::parse_python;

    #[test]
    fn call_forms() {
        let module = parse_python(
            "app.config.update(DEBUG=True, X=1)\napp.config.from_mapping({'DEBUG': True})\napp.config.update(dict(DEBUG=1))\napp.config.setdefault('DEBUG', True)\nrequests.update(DEBUG=True)\n",
        );
        let keys: Vec<Vec<&str>> = module
            .suite()
            .iter()
            .map(|s| {
                let Stmt::Expr(e) = s else { panic!() };
                let Expr::Call(call) = &*e.value else {
                    panic!()
                };
                settings_in_call(call).iter().map(|s| s.key).collect()
            })
            .collect();
        assert_eq!(
            keys,
            vec![
                vec!["DEBUG", "X"],
                vec!["DEBUG"],
                vec!["DEBUG"],
                vec!["DEBUG"],
                vec![]
            ]
        );
    }
}
