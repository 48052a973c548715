import BatonCLI
await Baton.main()
