using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder.Tiny;

/// <summary>The tiny text encoders' tokenizer: a SentencePiece model trained with spm_train on <see cref="TinyGemma.DefaultCorpus"/>.</summary>
public static class TinyTokenizer
{
    /// <summary>
    /// Trains the model into <paramref name="path"/> and returns its bytes and its real vocabulary, which the tiny
    /// configs must use: with hard_vocab_limit off the trainer may give fewer pieces than <paramref name="vocabSize"/>.
    /// </summary>
    public static (byte[] Model, int Vocab) Train(string path, int vocabSize)
    {
        SentencePieceTrainer.Train(path, TinyGemma.DefaultCorpus, vocabSize);
        var model = File.ReadAllBytes(path);
        using var processor = SentencePieceProcessor.FromBytes(model);
        return (model, processor.VocabSize);
    }
}
