using System.CommandLine;
using CroweLogic.Flow.Cli;
using CroweLogic.Flow.Cli.Commands;

// Logs and CI capture output: give tables room instead of Spectre's 80-column fallback.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;

var root = new RootCommand("flow — CroweLogic.Flow: quantitative trading platform (ClickHouse time-series store, Arrow, research and live lanes)");
GlobalOptions.AddTo(root);
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(SqlCommand.Create());
root.Subcommands.Add(DbCommand.Create());
root.Subcommands.Add(QualityCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(FixCommand.Create());
root.Subcommands.Add(WorkflowCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(LiveCommand.Create());
root.Subcommands.Add(SimExchangeCommand.Create());
foreach (var command in BacktestCommand.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(SetupCommand.Create());
return await root.Parse(args).InvokeAsync();
