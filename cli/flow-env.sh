# Runtime settings per flow command, sourced by ./flow and by the installed launcher (./flow install).
# flow is built with tiered compilation off for the hot loops of backtests, ingest and benchmarks. Commands that answer
# and exit start faster with it on (flow sql through flow up: 0.37-0.43 s against 0.64-0.71 s, measured); the
# installed build is also ReadyToRun, which starts faster still (0.28-0.34 s) but whose precompiled code runs the
# long commands' loops about 30 % slower (the LEAN tick backtest 8.2-8.5 s against 6.3-6.6 s), so they JIT as before.
flow_command_of() {
  while (($#)); do
    case "$1" in
      --data-dir|--clickhouse-url|--temporal|--signing-key) shift 2 ;;
      -*) shift ;;
      *) echo "$1"; return ;;
    esac
  done
}
# flow_runtime_env dev|installed <flow arguments>
flow_runtime_env() {
  local build="$1"
  shift
  case "$(flow_command_of "$@")" in
    sql|db|quality|audit|workflow|setup|up|serve|"") export DOTNET_TieredCompilation="${DOTNET_TieredCompilation:-1}" ;;
    *) [ "$build" = installed ] && export DOTNET_ReadyToRun="${DOTNET_ReadyToRun:-0}" ;;
  esac
  return 0
}
