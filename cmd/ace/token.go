package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

func tokenCmd() *cli.Command {
	return &cli.Command{
		Name:     "token",
		Usage:    "manage personal API tokens",
		Commands: []*cli.Command{tokenCreateCmd(), tokenListCmd(), tokenRevokeCmd()},
	}
}

func tokenCreateCmd() *cli.Command {
	return &cli.Command{
		Name:  "create",
		Usage: "create a personal API token for a staff account and print it (the last word of the output)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "email", Required: true, Usage: "the account's email"},
			&cli.StringFlag{Name: "name", Usage: "a label to tell the account's tokens apart in `ace token list`"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			label := strings.TrimSpace(cmd.String("name"))
			if len([]rune(label)) > 100 {
				return errors.New("token create: --name: at most 100 characters")
			}
			st, err := openStore(ctx, cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			u, err := accountByEmail(ctx, st, cmd, "token create")
			if err != nil {
				return err
			}
			token, hash := auth.NewToken()
			t, err := st.CreateNamedAPIToken(ctx, u.ID, label, hash)
			if err != nil {
				return err
			}
			out(cmd, "API token %d for %s (shown once; send it as Authorization: Bearer <token>): %s\n", t.ID, u.Email, token)
			return nil
		},
	}
}

func tokenListCmd() *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "list a staff account's API tokens: id, label, when created, last used and revoked (never the token)",
		Flags: []cli.Flag{&cli.StringFlag{Name: "email", Required: true, Usage: "the account's email"}},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			st, err := openStore(ctx, cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			u, err := accountByEmail(ctx, st, cmd, "token list")
			if err != nil {
				return err
			}
			ts, err := st.APITokens(ctx, u.ID)
			if err != nil {
				return err
			}
			if len(ts) == 0 {
				out(cmd, "%s has no API tokens.\n", u.Email)
				return nil
			}
			out(cmd, "%-6s %-24s %-17s %-17s %s\n", "ID", "LABEL", "CREATED (UTC)", "LAST USED (UTC)", "REVOKED (UTC)")
			for _, t := range ts {
				out(cmd, "%-6d %-24s %-17s %-17s %s\n", t.ID, orDash(t.Name), stamp(&t.CreatedAt), stamp(t.LastUsedAt), stamp(t.RevokedAt))
			}
			return nil
		},
	}
}

func tokenRevokeCmd() *cli.Command {
	return &cli.Command{
		Name:  "revoke",
		Usage: "revoke one API token (--id) or all of an account's (--email with --all); it is refused from the next request on",
		Flags: []cli.Flag{
			&cli.Int64Flag{Name: "id", Usage: "the token's id, from `ace token list`"},
			&cli.StringFlag{Name: "email", Usage: "the account whose tokens to revoke (with --all)"},
			&cli.BoolFlag{Name: "all", Usage: "revoke every token of --email"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			byID, all := cmd.IsSet("id"), cmd.Bool("all") && cmd.String("email") != ""
			if byID == all {
				return errors.New("token revoke: give either --id N or --email E --all")
			}
			st, err := openStore(ctx, cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			var userID int64
			if byID {
				t, err := st.RevokeAPIToken(ctx, cmd.Int64("id"))
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("token revoke: no token %d", cmd.Int64("id"))
				}
				if err != nil {
					return err
				}
				userID = t.UserID
				out(cmd, "Revoked token %d.\n", t.ID)
			} else {
				u, err := accountByEmail(ctx, st, cmd, "token revoke")
				if err != nil {
					return err
				}
				n, err := st.RevokeAPITokens(ctx, u.ID)
				if err != nil {
					return err
				}
				userID = u.ID
				out(cmd, "Revoked %d token(s) of %s.\n", n, u.Email)
			}
			// A socket opened with the token stays open past the revocation
			// unless the owner's sockets are closed; a serving instance does it.
			return st.RequestKick(ctx, userID)
		},
	}
}

func stamp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
