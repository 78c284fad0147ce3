namespace LtxLocal.Torch.NN;

/// <summary>Runs its children in order (torch.nn.Sequential); intermediate results are freed as it goes.</summary>
public sealed class Sequential : ModuleList<Module>, IUnaryModule
{
    public Sequential(params Module[] modules) : base(modules)
    {
        foreach (var m in modules)
            if (m is not IUnaryModule) throw new ArgumentException($"{m.GetType().Name} has no single-tensor Forward");
    }

    public Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var module in this)
        {
            var next = ((IUnaryModule)module).Forward(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = next;
        }
        return x;
    }
}
