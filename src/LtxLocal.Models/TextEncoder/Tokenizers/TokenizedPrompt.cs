using LtxLocal.Torch;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>Token ids [1, max_length] (int64) and the attention mask [1, max_length] (int64, 1 = token).</summary>
public sealed record TokenizedPrompt(long[] Ids, long[] Mask)
{
    public int Length => Ids.Length;
    public int ValidCount => Mask.Count(m => m != 0);

    public (Tensor Ids, Tensor Mask) ToTensors(Device device) =>
        (Tensor.From(Ids, 1, Ids.Length).To(device), Tensor.From(Mask, 1, Mask.Length).To(device));
}
