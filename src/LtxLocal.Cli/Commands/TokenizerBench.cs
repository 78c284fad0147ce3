using System.CommandLine;
using System.Diagnostics;
using LtxLocal.Models.TextEncoder.Tiny;
using LtxLocal.Models.TextEncoder.Tokenizers;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench tokenizer`: time to load a Gemma tokenizer and to encode a prompt of at least --tokens pieces
/// (the pipelines' 1024), for each backend. Without --path a tiny SentencePiece model is trained with spm_train and
/// converted to tokenizer.json; with --path a real tokenizer.model / tokenizer.json / folder / pack is measured.
/// </summary>
public static class TokenizerBench
{
    public static Command Create()
    {
        var path = new Option<string?>("--path") { Description = "tokenizer.model, tokenizer.json, a Gemma folder or a text-encoder pack" };
        var tokens = new Option<int>("--tokens") { Description = "Minimum prompt length in pieces", DefaultValueFactory = _ => 1024 };
        var reps = new Option<int>("--repeats") { Description = "Timed encodes after 50 warm-up encodes", DefaultValueFactory = _ => 50 };
        var command = new Command("tokenizer", "Gemma tokenizer load and encode time (SentencePiece and tokenizer.json backends)") { path, tokens, reps };
        command.SetAction(r => Run(r.GetValue(path), r.GetValue(tokens), r.GetValue(reps)));
        return command;
    }

    private static int Run(string? path, int tokens, int repeats)
    {
        var work = Directory.CreateTempSubdirectory("ltx-tokbench-");
        try
        {
            var sources = new List<string>();
            if (path is not null) sources.Add(path);
            else
            {
                var model = Path.Combine(work.FullName, "tokenizer.model");
                SentencePieceTrainer.Train(model, TinyGemma.DefaultCorpus, vocabSize: 1000);
                var json = Path.Combine(work.FullName, "tokenizer.json");
                File.WriteAllBytes(json, GemmaTokenizerJsonConverter.Convert(File.ReadAllBytes(model)));
                sources.AddRange([model, json]);
            }
            var table = new Table().AddColumns("tokenizer", "backend", "load (ms)", "pieces", "encode (ms, median)", "encode (ms, max)");
            foreach (var source in sources) table.AddRow(Measure(source, tokens, repeats));
            AnsiConsole.Write(table);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string[] Measure(string source, int tokens, int repeats)
    {
        var watch = Stopwatch.StartNew();
        using var tokenizer = GemmaTokenizer.Load(source);
        double load = watch.Elapsed.TotalMilliseconds;
        var backend = tokenizer.Processor;
        var prompt = "";
        for (int i = 0; backend.Encode(prompt).Length < tokens; i++)
            prompt += TinyGemma.DefaultCorpus[i % TinyGemma.DefaultCorpus.Length] + " ";
        int pieces = backend.Encode(prompt).Length;
        var times = new List<double>();
        for (int i = 0; i < repeats + 50; i++)
        {
            watch.Restart();
            backend.Encode(prompt);
            if (i >= 50) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return [Path.GetFileName(source), backend.GetType().Name, $"{load:F1}", $"{pieces}",
            $"{times.Order().ElementAt(times.Count / 2):F3}", $"{times.Max():F3}"];
    }
}
