namespace CroweLogic.Flow.Cli.Governance;

/// <summary>One stage session of a deployment, as the tearsheet plots it.</summary>
internal readonly record struct LiveSessionRow(string Stage, long Ts, double Return, double CapitalFraction, double Traded, double Gross, double Fees, double Spread, double Impact, double Slippage);
