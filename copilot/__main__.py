if __name__ == "__main__":
    from copilot.cli import main

    main()
