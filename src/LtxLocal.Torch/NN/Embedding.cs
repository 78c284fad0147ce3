namespace LtxLocal.Torch.NN;

/// <summary>A lookup table (torch.nn.Embedding): <c>weight</c> [count, dim]; ids of any shape -> [..., dim].</summary>
public sealed class Embedding : Module, IUnaryModule
{
    public Embedding(long count, long dim, ModuleOptions? options = null)
    {
        RegisterParameter("weight", NewTensor(new[] { count, dim }, options ?? ModuleOptions.Default));
    }

    public Tensor Weight => Parameter("weight");

    public Tensor Forward(Tensor ids) => F.Embedding(ids, Weight);
}
