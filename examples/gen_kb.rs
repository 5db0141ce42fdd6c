//! Generates a large, valid knowledge base for benchmarks:
//!
//! ```sh
//! cargo run --release --example gen_kb -- --entries 10000 --out /tmp/kb
//! ```
//!
//! Deterministic (a fixed seed): the same arguments always write the same files. It
//! writes 20 providers and `--entries` entries spread over them, in French (with accents)
//! and English: a title, summary, meaning, verbatim message and match rules, 4 causes,
//! 5 steps with links, 6 checklist items, 4 common mistakes, 3 alternatives and a
//! fixture each, drawn from a vocabulary with a long tail, so that search indexes grow
//! the way real ones do. Kept simple; extend it as benchmarks need.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const PROVIDERS: usize = 20;

const FR: &[&str] = &[
    "erreur",
    "clé",
    "quota",
    "requête",
    "limite",
    "compte",
    "facturation",
    "carte",
    "bancaire",
    "modèle",
    "serveur",
    "réponse",
    "délai",
    "dépassé",
    "épuisé",
    "crédit",
    "paiement",
    "accès",
    "autorisé",
    "réessayer",
    "attendre",
    "vérifier",
    "configuration",
    "projet",
    "organisation",
    "jeton",
    "débit",
    "minute",
    "journée",
    "tableau",
    "bord",
    "paramètres",
    "sécurité",
    "réseau",
    "connexion",
    "service",
    "indisponible",
    "surchargé",
    "format",
    "invalide",
    "expirée",
    "révoquée",
    "variable",
    "environnement",
    "fichier",
    "application",
    "utilisateur",
    "support",
];
const EN: &[&str] = &[
    "error",
    "key",
    "quota",
    "request",
    "limit",
    "account",
    "billing",
    "card",
    "bank",
    "model",
    "server",
    "response",
    "timeout",
    "exceeded",
    "exhausted",
    "credit",
    "payment",
    "access",
    "allowed",
    "retry",
    "wait",
    "check",
    "configuration",
    "project",
    "organization",
    "token",
    "rate",
    "minute",
    "day",
    "dashboard",
    "settings",
    "security",
    "network",
    "connection",
    "service",
    "unavailable",
    "overloaded",
    "format",
    "invalid",
    "expired",
    "revoked",
    "variable",
    "environment",
    "file",
    "application",
    "user",
    "support",
];
const SYLLABLES: &[&str] = &[
    "ba", "ké", "lo", "mi", "nu", "ra", "sé", "ti", "vo", "zu", "cha", "pré", "gri", "tol", "vèn",
    "dar", "fli", "quo", "ste", "mon",
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A word: mostly common ones, one in four from a long tail of rare ones (real
    /// help texts name products, models, settings and numbers).
    fn word(&mut self, common: &[&str]) -> String {
        if self.below(4) > 0 {
            return common[self.below(common.len())].to_string();
        }
        let rare = self.below(160_000);
        let mut word = String::new();
        let mut n = rare;
        for _ in 0..4 {
            word.push_str(SYLLABLES[n % SYLLABLES.len()]);
            n /= SYLLABLES.len();
        }
        word
    }

    fn sentence(&mut self, common: &[&str], words: usize) -> String {
        let mut out: Vec<String> = (0..words).map(|_| self.word(common)).collect();
        if let Some(first) = out.first_mut() {
            *first = capitalize(first);
        }
        format!("{}.", out.join(" "))
    }

    fn paragraph(&mut self, common: &[&str], sentences: usize) -> String {
        (0..sentences)
            .map(|_| {
                let n = 8 + self.below(8);
                self.sentence(common, n)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A YAML double-quoted string.
fn q(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn localized(rng: &mut Rng, sentences: usize) -> String {
    let fr = rng.paragraph(FR, sentences);
    let en = rng.paragraph(EN, sentences);
    format!("{{fr: {}, en: {}}}", q(&fr), q(&en))
}

fn title(rng: &mut Rng) -> String {
    let n = 3 + rng.below(4);
    let fr = rng.sentence(FR, n);
    let en = rng.sentence(EN, n);
    format!(
        "{{fr: {}, en: {}}}",
        q(fr.trim_end_matches('.')),
        q(en.trim_end_matches('.'))
    )
}

fn write_provider(dir: &Path, p: usize) -> std::io::Result<()> {
    let yaml = format!(
        "name: Provider {p}\nhomepage: https://provider{p}.example.com/\nsupport:\n  docs: https://docs.provider{p}.example.com/errors\n  status: https://status.provider{p}.example.com/\nalternative:\n  tagline: {{fr: Fournisseur {p}, en: Provider {p}}}\n  models: Model {p}\n  quota: {{fr: Gratuit, en: Free}}\n  signup: https://provider{p}.example.com/signup\nhints: [provider{p}]\n"
    );
    std::fs::write(dir.join(format!("p{p:02}.yaml")), yaml)
}

fn entry_yaml(rng: &mut Rng, i: usize) -> (String, String) {
    let p = i % PROVIDERS;
    let code = format!("{}_{}_{i}", rng.word(EN), rng.word(EN));
    let status = [400, 401, 402, 403, 404, 429, 500, 503][rng.below(8)];
    let message = format!(
        "{} Error {i} at https://provider{p}.example.com/docs/errors.",
        rng.sentence(EN, 10)
    );
    let mut y = String::new();
    let _ = writeln!(y, "code: {code}\nprovider: p{p:02}\nhttp_status: {status}");
    let _ = writeln!(y, "retryable: {}\nupdated: 2026-01-17", rng.below(2) == 0);
    let _ = writeln!(y, "message: {}", q(&message));
    let _ = writeln!(
        y,
        "match: {{codes: [{code}], http_status: [{status}], messages: [{}]}}",
        q(message.split('.').next().unwrap_or_default())
    );
    let _ = writeln!(y, "title: {}\nsummary: {}", title(rng), localized(rng, 2));
    let _ = writeln!(y, "meaning: {}", localized(rng, 4));
    y.push_str("causes:\n");
    for c in 0..4 {
        let _ = writeln!(
            y,
            "  - id: cause-{c}\n    title: {}\n    body: {}",
            title(rng),
            localized(rng, 3)
        );
    }
    y.push_str("steps:\n");
    for s in 0..5 {
        let _ = writeln!(
            y,
            "  - id: step-{s}\n    title: {}\n    body: {}",
            title(rng),
            localized(rng, 4)
        );
        let _ = writeln!(
            y,
            "    links:\n      - {{label: {{fr: Documentation, en: Documentation}}, url: https://docs.provider{p}.example.com/{s}}}"
        );
    }
    y.push_str("alternatives:\n  providers:\n");
    for a in 1..=3 {
        let _ = writeln!(y, "    - provider: p{:02}", (p + a) % PROVIDERS);
    }
    y.push_str("checklist:\n");
    for c in 0..6 {
        let _ = writeln!(y, "  - id: check-{c}\n    text: {}", title(rng));
    }
    y.push_str("faq:\n");
    for f in 0..4 {
        let _ = writeln!(
            y,
            "  - id: faq-{f}\n    question: {}\n    answer: {}",
            title(rng),
            localized(rng, 2)
        );
    }
    let body = format!(
        "Error code: {status} - {{'error': {{'message': '{}', 'type': 'api_error', 'param': None, 'code': '{code}'}}}}",
        message.replace('\'', "")
    );
    let _ = writeln!(y, "fixtures:\n  - {{name: Python SDK, body: {}}}", q(&body));
    (format!("p{p:02}/e{i:05}.yaml"), y)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let entries: usize = value("--entries")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let Some(out) = value("--out").map(PathBuf::from) else {
        eprintln!("usage: gen_kb --entries N --out DIR");
        std::process::exit(2);
    };
    let content = out.join("content");
    std::fs::create_dir_all(content.join("providers"))?;
    std::fs::write(
        content.join("site.yaml"),
        "title: {fr: Base générée, en: Generated base}\nbase_url: https://help.example.org/\nlanguages: [fr, en]\n",
    )?;
    for p in 0..PROVIDERS {
        write_provider(&content.join("providers"), p)?;
        std::fs::create_dir_all(content.join("errors").join(format!("p{p:02}")))?;
    }
    let mut rng = Rng(0x5EED_E88B_00C5_u64);
    for i in 0..entries {
        let (path, yaml) = entry_yaml(&mut rng, i);
        std::fs::write(content.join("errors").join(path), yaml)?;
    }
    println!(
        "wrote {entries} entries and {PROVIDERS} providers to {}",
        out.display()
    );
    Ok(())
}
