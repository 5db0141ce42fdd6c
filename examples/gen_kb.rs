//! Generates a large, valid errbook knowledge base for benchmarks and tests.
//!
//! ```sh
//! cargo run --release --example gen_kb -- --entries 10000 --out /tmp/kb10k [--seed 7]
//! ```
//!
//! The output is deterministic for a given seed: 20 providers (each with an
//! `alternative:` profile), and entries in French and English with accents, about
//! 5–6 KB of Markdown per entry and language: 4 causes, 5 steps with links, bold and
//! code spans, 3 alternatives, 6 checklist items, 4 common mistakes, a match rule and
//! a fixture.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// How many entries to write.
    #[arg(long, default_value_t = 1000)]
    entries: usize,
    /// The knowledge base's root folder (created; must not hold content already).
    #[arg(long)]
    out: PathBuf,
    /// The seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

const PROVIDERS: usize = 20;

const FR_WORDS: &[&str] = &[
    "requête",
    "clé",
    "quota",
    "dépassé",
    "facturation",
    "modèle",
    "réponse",
    "délai",
    "échec",
    "crédit",
    "compte",
    "limite",
    "paramètre",
    "accès",
    "erreur",
    "serveur",
    "réessayer",
    "sécurité",
    "élevé",
    "journal",
    "intégration",
    "configuration",
    "vérifier",
    "équipe",
    "données",
    "méthode",
    "été",
    "plutôt",
    "même",
    "où",
];
const EN_WORDS: &[&str] = &[
    "request",
    "key",
    "quota",
    "exceeded",
    "billing",
    "model",
    "response",
    "timeout",
    "failure",
    "credit",
    "account",
    "limit",
    "parameter",
    "access",
    "error",
    "server",
    "retry",
    "security",
    "high",
    "log",
    "integration",
    "configuration",
    "check",
    "team",
    "data",
    "method",
    "summer",
    "rather",
    "same",
    "where",
];

/// A small deterministic generator (xorshift64*), enough for varied text.
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

    fn words(&mut self, dictionary: &[&str], count: usize) -> String {
        (0..count)
            .map(|_| dictionary[self.below(dictionary.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let content = args.out.join("content");
    if content.exists() {
        eprintln!("error: {} already exists", content.display());
        std::process::exit(2);
    }
    std::fs::create_dir_all(content.join("providers"))?;
    std::fs::write(
        content.join("site.yaml"),
        "title: {fr: Base générée, en: Generated base}\nbase_url: https://bench.example.org/\nlanguages: [fr, en]\n",
    )?;
    for p in 0..PROVIDERS {
        std::fs::write(
            content.join(format!("providers/{}.yaml", provider_id(p))),
            provider_yaml(p),
        )?;
    }
    let mut rng = Rng(args.seed.max(1));
    for i in 0..args.entries {
        let provider = provider_id(i % PROVIDERS);
        let dir = content.join("errors").join(&provider);
        if i < PROVIDERS {
            std::fs::create_dir_all(&dir)?;
        }
        write_entry(&dir, i, &mut rng)?;
    }
    println!(
        "wrote {} entries for {PROVIDERS} providers in {}",
        args.entries,
        args.out.display()
    );
    Ok(())
}

fn provider_id(p: usize) -> String {
    format!("provider-{p:02}")
}

fn provider_yaml(p: usize) -> String {
    format!(
        "name: Provider {p:02}\nhomepage: https://p{p}.example.org/\nsupport:\n  email: support@p{p}.example.org\n  \
         docs: https://p{p}.example.org/docs/errors\n  status: https://status.p{p}.example.org/\nalternative:\n  \
         tagline: {{fr: Rapide et économique, en: Fast and cheap}}\n  models: Model {p} Large, Model {p} Small\n  \
         quota: {{fr: Gratuit jusqu'à une limite, en: Free up to a limit}}\n  signup: https://p{p}.example.org/keys\n  \
         env_var: P{p}_API_KEY\n"
    )
}

fn write_entry(dir: &Path, i: usize, rng: &mut Rng) -> std::io::Result<()> {
    let code = format!("error_code_{i:06}");
    let status = [400, 401, 402, 403, 429, 500, 503][i % 7];
    let mut y = String::with_capacity(14_000);
    let _ = write!(
        y,
        "code: {code}\nprovider: {provider}\nhttp_status: {status}\nretryable: {retry}\ncommon: {common}\n\
         updated: 2026-0{month}-1{day}\nlast_verified: 2026-0{month}-1{day}\n\
         message: \"Error {i}: the {what} was refused ({code}).\"\n\
         match:\n  codes: [{code}]\n  http_status: [{status}]\n  messages: [\"Error {i}: the {what} was refused\"]\n",
        provider = provider_id(i % PROVIDERS),
        retry = status >= 429,
        common = i.is_multiple_of(97),
        month = 1 + i % 9,
        day = i % 9,
        what = EN_WORDS[i % EN_WORDS.len()],
    );
    let _ = write!(
        y,
        "title:\n  fr: \"Erreur {i} : {}\"\n  en: \"Error {i}: {}\"\n",
        rng.words(FR_WORDS, 4),
        rng.words(EN_WORDS, 4)
    );
    let _ = write!(
        y,
        "summary:\n  fr: \"{}.\"\n  en: \"{}.\"\n",
        rng.words(FR_WORDS, 16),
        rng.words(EN_WORDS, 16)
    );
    let _ = write!(
        y,
        "meaning:\n{}",
        both(rng, |rng, words| format!(
            "L'erreur **{code}** signifie : {}.",
            rng.words(words, 25)
        ))
    );
    y.push_str("causes:\n");
    for c in 0..4 {
        let _ = write!(
            y,
            "  - id: cause-{c}\n    title: {{fr: \"{}\", en: \"{}\"}}\n    body:\n{}",
            rng.words(FR_WORDS, 4),
            rng.words(EN_WORDS, 4),
            indented(
                &both(rng, |rng, w| format!(
                    "- **{}** : {}\n- {}",
                    rng.words(w, 2),
                    rng.words(w, 18),
                    rng.words(w, 15)
                )),
                4
            )
        );
    }
    y.push_str("steps:\n");
    for s in 0..5 {
        let body = both(rng, |rng, w| {
            format!(
                "1. **{}:** https://docs.example.org/{i}/{s}\n2. {} `config_{s}.yaml` {}\n3. [{}](https://help.example.org/{i}#s{s}) {}\n\n{}",
                rng.words(w, 2),
                rng.words(w, 12),
                rng.words(w, 12),
                rng.words(w, 3),
                rng.words(w, 12),
                rng.words(w, 25)
            )
        });
        let _ = write!(
            y,
            "  - id: step-{s}\n    title: {{fr: \"{}\", en: \"{}\"}}\n    body:\n{}",
            rng.words(FR_WORDS, 5),
            rng.words(EN_WORDS, 5),
            indented(&body, 4)
        );
    }
    let alternatives: Vec<String> = (1..=3)
        .map(|k| format!("{{provider: {}}}", provider_id((i + k) % PROVIDERS)))
        .collect();
    let _ = write!(
        y,
        "alternatives:\n  intro: {{fr: \"En attendant :\", en: \"Meanwhile:\"}}\n  providers: [{}]\n",
        alternatives.join(", ")
    );
    y.push_str("checklist:\n");
    for c in 0..6 {
        let _ = write!(
            y,
            "  - id: check-{c}\n    text: {{fr: \"{} `{c}`\", en: \"{} `{c}`\"}}\n",
            rng.words(FR_WORDS, 8),
            rng.words(EN_WORDS, 8)
        );
    }
    y.push_str("faq:\n");
    for f in 0..4 {
        let _ = write!(
            y,
            "  - id: faq-{f}\n    question: {{fr: \"{}\", en: \"{}\"}}\n    answer:\n{}",
            rng.words(FR_WORDS, 7),
            rng.words(EN_WORDS, 7),
            indented(
                &both(rng, |rng, w| format!(
                    "**{}** {}",
                    rng.words(w, 3),
                    rng.words(w, 18)
                )),
                4
            )
        );
    }
    let _ = write!(
        y,
        "sources:\n  - {{title: Error reference, url: \"https://docs.example.org/errors/{i}\"}}\n\
         fixtures:\n  - name: JSON body\n    http_status: {status}\n    body: '{{\"error\": {{\"code\": \"{code}\", \"message\": \"Error {i}: the {what} was refused ({code}).\"}}}}'\n",
        what = EN_WORDS[i % EN_WORDS.len()],
    );
    std::fs::write(dir.join(format!("entry-{i:06}.yaml")), y)
}

/// A `fr:`/`en:` map of block scalars, each made by `make` from its language's words.
fn both(rng: &mut Rng, mut make: impl FnMut(&mut Rng, &[&str]) -> String) -> String {
    let fr = make(rng, FR_WORDS);
    let en = make(rng, EN_WORDS);
    format!("  fr: |\n{}  en: |\n{}", indented(&fr, 4), indented(&en, 4))
}

fn indented(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            }
        })
        .collect()
}
