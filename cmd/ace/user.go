package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

func userCmd() *cli.Command {
	return &cli.Command{
		Name:  "user",
		Usage: "manage staff accounts",
		Commands: []*cli.Command{{
			Name:  "add",
			Usage: "add a staff account; the password is read from standard input",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "email", Required: true, Usage: "login email"},
				&cli.StringFlag{Name: "name", Required: true, Usage: "display name"},
				&cli.StringFlag{Name: "role", Value: store.RoleInterviewer, Usage: "admin, interviewer or reviewer"},
			},
			Action: func(ctx context.Context, cmd *cli.Command) error {
				role := cmd.String("role")
				if !store.ValidRole(role) {
					return fmt.Errorf("user add: --role %q: want admin, interviewer or reviewer", role)
				}
				password, err := bufio.NewReader(cmd.Root().Reader).ReadString('\n')
				if err != nil && password == "" {
					return errors.New("user add: write the password on standard input")
				}
				password = strings.TrimRight(password, "\r\n")
				if len(password) < auth.MinPasswordLen {
					return fmt.Errorf("user add: the password must have at least %d characters", auth.MinPasswordLen)
				}
				st, err := openStore(ctx, cmd)
				if err != nil {
					return err
				}
				defer st.Close()
				hash, err := auth.HashPassword(ctx, password)
				if err != nil {
					return err
				}
				u, err := st.CreateUser(ctx, cmd.String("email"), cmd.String("name"), role, hash)
				if errors.Is(err, store.ErrConflict) {
					return fmt.Errorf("user add: %s exists already", store.NormalizeEmail(cmd.String("email")))
				}
				if err != nil {
					return err
				}
				out(cmd, "Added %s (%s) as %s.\n", u.Email, u.Name, u.Role)
				return nil
			},
		}},
	}
}

func tokenCmd() *cli.Command {
	return &cli.Command{
		Name:  "token",
		Usage: "manage personal API tokens",
		Commands: []*cli.Command{{
			Name:  "create",
			Usage: "create a personal API token for a staff account and print it (the last word of the output)",
			Flags: []cli.Flag{&cli.StringFlag{Name: "email", Required: true, Usage: "the account's email"}},
			Action: func(ctx context.Context, cmd *cli.Command) error {
				st, err := openStore(ctx, cmd)
				if err != nil {
					return err
				}
				defer st.Close()
				u, err := st.UserByEmail(ctx, cmd.String("email"))
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("token create: no account %s", store.NormalizeEmail(cmd.String("email")))
				}
				if err != nil {
					return err
				}
				token, hash := auth.NewToken()
				if err := st.CreateAPIToken(ctx, u.ID, hash); err != nil {
					return err
				}
				out(cmd, "API token for %s (shown once; send it as Authorization: Bearer <token>): %s\n", u.Email, token)
				return nil
			},
		}},
	}
}
