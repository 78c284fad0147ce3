using System.CommandLine;
using LtxLocal.Cli.Commands;

// `ltx-local`: one subcommand per file under Commands/.
var root = new RootCommand("LtxLocal: self-hosted LTX-2 video+audio inference server");
VersionInfo.Attach(root);
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(ClipEditCommand.CreateRetake());
root.Subcommands.Add(ClipEditCommand.CreateExtend());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(PlanCommand.Create());
return await root.Parse(args).InvokeAsync();
