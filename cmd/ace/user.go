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
		Name:     "user",
		Usage:    "manage staff accounts",
		Commands: []*cli.Command{userAddCmd(), userDisableCmd(true), userDisableCmd(false)},
	}
}

func userAddCmd() *cli.Command {
	return &cli.Command{
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
			if err := auth.CheckNewPassword(password); err != nil {
				return fmt.Errorf("user add: %w", err)
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
	}
}

// userDisableCmd is `user disable` or `user enable`.
func userDisableCmd(disable bool) *cli.Command {
	name, usage := "enable", "let a disabled staff account log in again (its API tokens work again too)"
	if disable {
		name, usage = "disable", "stop a staff account at once: no login, its sessions and API tokens refused, its open sockets closed"
	}
	return &cli.Command{
		Name:  name,
		Usage: usage,
		Flags: []cli.Flag{&cli.StringFlag{Name: "email", Required: true, Usage: "the account's email"}},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			st, err := openStore(ctx, cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			u, err := accountByEmail(ctx, st, cmd, "user "+name)
			if err != nil {
				return err
			}
			if _, err := st.SetUserDisabled(ctx, u.ID, disable); errors.Is(err, store.ErrLastAdmin) {
				return fmt.Errorf("user disable: %s is the last enabled admin; make another admin first", u.Email)
			} else if err != nil {
				return err
			}
			if !disable {
				out(cmd, "Enabled %s.\n", u.Email)
				return nil
			}
			// This process has no hub: a serving instance closes the sockets.
			if err := st.RequestKick(ctx, u.ID); err != nil {
				return err
			}
			out(cmd, "Disabled %s: logins, sessions and API tokens are refused; open sockets close within seconds.\n", u.Email)
			return nil
		},
	}
}

// accountByEmail finds the account --email names, for command op.
func accountByEmail(ctx context.Context, st *store.Store, cmd *cli.Command, op string) (store.User, error) {
	u, err := st.UserByEmail(ctx, cmd.String("email"))
	if errors.Is(err, store.ErrNotFound) {
		return u, fmt.Errorf("%s: no account %s", op, store.NormalizeEmail(cmd.String("email")))
	}
	return u, err
}
