using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Daemon;

DaemonCommand.DetachIfAsked(args);
var parse = LocalmemCommand.Create().Parse(args);
return await CliRouter.TryDaemonAsync(parse, args, CancellationToken.None) ?? await parse.InvokeAsync();
