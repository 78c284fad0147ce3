using System.Diagnostics;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// Trains a small SentencePiece model with Debian's <c>spm_train</c> in Gemma's id layout (pad 0, eos 1, bos 2, unk 3,
/// byte fallback so any UTF-8 encodes): the tokenizer of the tiny Gemma.
/// </summary>
public static class SentencePieceTrainer
{
    /// <summary>Writes <paramref name="modelPath"/> (a .model file) trained on <paramref name="corpusLines"/>.</summary>
    public static void Train(string modelPath, IEnumerable<string> corpusLines, int vocabSize = 400)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        Directory.CreateDirectory(directory);
        var work = Directory.CreateTempSubdirectory("ltx-spm-");
        try
        {
            var corpus = Path.Combine(work.FullName, "corpus.txt");
            File.WriteAllLines(corpus, corpusLines);
            var prefix = Path.Combine(work.FullName, "tokenizer");
            Run("spm_train",
                $"--input={corpus}", $"--model_prefix={prefix}", $"--vocab_size={vocabSize}", "--model_type=bpe",
                "--character_coverage=1.0", "--byte_fallback=true", "--hard_vocab_limit=false",
                "--pad_id=0", "--eos_id=1", "--bos_id=2", "--unk_id=3",
                "--pad_piece=<pad>", "--eos_piece=<eos>", "--bos_piece=<bos>", "--unk_piece=<unk>",
                "--user_defined_symbols=<start_of_turn>,<end_of_turn>", "--minloglevel=2",
                // Like Gemma's model: no normalisation, no dummy "▁" prefix, whitespace and newlines kept, digits split.
                "--normalization_rule_name=identity", "--remove_extra_whitespaces=false", "--add_dummy_prefix=false",
                "--split_digits=true",
                "--allow_whitespace_only_pieces=true");
            File.Copy(prefix + ".model", modelPath, overwrite: true);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs a SentencePiece tool and returns its stdout; a missing tool or a failure is a clear error.</summary>
    public static string Run(string tool, params string[] arguments) => RunWithInput(tool, null, arguments);

    /// <summary>Runs a tool with <paramref name="stdin"/> as its input.</summary>
    public static string RunWithInput(string tool, string? stdin, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null,
            UseShellExecute = false, StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        if (stdin is not null) info.StandardInputEncoding = new System.Text.UTF8Encoding(false);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} not found ({e.Message}); install Debian's `sentencepiece` package (make setup)");
        }
        using (process)
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            var errorTask = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {errorTask.Result}");
            return output;
        }
    }
}
