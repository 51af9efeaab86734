using System.CommandLine;
using CroweLogic.Flow.Cli;
using CroweLogic.Flow.Cli.Commands;

// Logs and CI capture output: give tables room instead of Spectre's 80-column fallback.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;

var root = new RootCommand("flow — CroweLogic.Flow: quantitative trading platform (ClickHouse time-series store, Arrow, research and live lanes)");
GlobalOptions.AddTo(root);
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(InstrumentsCommand.Create());
root.Subcommands.Add(CalendarsCommand.Create());
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
root.Subcommands.Add(StressCommand.Create());
root.Subcommands.Add(SetupCommand.Create());
// Ctrl+C cancels the command's token. A live session then cancels its working orders and waits for the venue to
// confirm, and the simulated exchange logs its sessions out: both can take longer than System.CommandLine's default
// 2 s grace before it ends the process. The other commands keep the shutdown they were built and tested with.
var configuration = new InvocationConfiguration();
if (args is ["live" or "sim-exchange", ..]) configuration.ProcessTerminationTimeout = TimeSpan.FromSeconds(30);
return await root.Parse(args).InvokeAsync(configuration);
