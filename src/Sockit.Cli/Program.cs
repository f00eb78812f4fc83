using Sockit.Cli.Commands;

// Program.cs only hands the command line to SockitCommandLine, which checks all of it before anything is
// opened; what each command does lives in Commands/ and in the library.
return await SockitCommandLine.Prepare(args).RunAsync();
