package app

import (
	"errors"
	"strings"
	"time"

	"tidings/backend/channels"
	"tidings/backend/channels/connectors"
	"tidings/backend/identity"
	"tidings/backend/inbox"
)

// ReplyChoice is one way to answer a customer (identity.ReplyOption) with
// what its channel accepts there, so the reply picker can show the limits
// and refuse, with the reason, what the channel would refuse.
type ReplyChoice struct {
	identity.ReplyOption
	// Capabilities are the channel's in this conversation (a Telegram
	// Business chat has a 24-hour reply window, a chat with the bot none).
	Capabilities channels.Capabilities `json:"capabilities"`
	// WindowClosesAt is when free replies end: the customer's last message
	// plus the reply window; zero without a window or a message.
	WindowClosesAt time.Time `json:"window_closes_at"`
	// Problem says why this account cannot send now and what to do (its
	// bot token is missing from the keyring); "" when it can. Email
	// replies wait in the outbox instead, so email has none.
	Problem string `json:"problem"`
	// Subject is what a new conversation (ConversationID "") starts with:
	// "Re: " and the open conversation's subject, or a chat's first line.
	Subject string `json:"subject,omitempty"`
}

// demoProblem is why a demo chat account cannot answer (see errDemo).
const demoProblem = "it is a demo account, and the demo inbox does not send messages; connect an account to answer for real"

// noChatProblem is why a chat account cannot open a conversation with a
// customer who never wrote to it: a Telegram bot can only message a user
// who has started it.
const noChatProblem = "the customer has not started a chat with this bot, and a bot can only message a user who has started it"

// ReplyOptions lists the channels a conversation's customer can be answered
// on, the one they last wrote on first (Default), each with its limits.
// Every account's connector comes from the one registry, email's included.
func (c *Channels) ReplyOptions(conversationID string) ([]ReplyChoice, error) {
	opts, err := identity.ReplyOptions(c.ctx, c.ws.Store, conversationID)
	if err != nil {
		return nil, err
	}
	conns := map[string]channels.Connector{}
	problems := map[string]string{}
	defer func() {
		for _, conn := range conns {
			conn.Close()
		}
	}()
	out := make([]ReplyChoice, 0, len(opts))
	for _, o := range opts {
		rc := ReplyChoice{ReplyOption: o}
		conn, seen := conns[o.AccountID]
		if !seen && problems[o.AccountID] == "" {
			acct, err := c.ws.Store.Account(c.ctx, o.AccountID)
			if err == nil && acct.Demo() {
				problems[o.AccountID] = demoProblem
			} else if err == nil {
				conn, err = c.registry.Open(acct, c.secrets)
			}
			if err != nil {
				problems[o.AccountID] = channels.Describe(err)
			} else if conn != nil {
				conns[o.AccountID] = conn
			}
		}
		if conn != nil {
			thread := ""
			if o.ConversationID != "" {
				_, key, err := c.ws.Store.ConversationThread(c.ctx, o.ConversationID)
				if err != nil && !errors.Is(err, inbox.ErrNotFound) {
					return nil, err
				}
				thread = key
			}
			rc.Capabilities = channels.CapabilitiesFor(conn, thread)
			if w := rc.Capabilities.ReplyWindow; w > 0 && !o.LastInbound.IsZero() {
				rc.WindowClosesAt = o.LastInbound.Add(w)
			}
		}
		if connectors.Chat(o.Channel) {
			rc.Problem = problems[o.AccountID]
		}
		if o.ConversationID == "" {
			switch {
			case problems[o.AccountID] == demoProblem:
				rc.Problem = demoProblem
			case connectors.Chat(o.Channel) && rc.Problem == "":
				rc.Problem = noChatProblem
			case rc.Problem == "":
				if rc.Subject, err = c.newSubject(conversationID); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, rc)
	}
	return out, nil
}

// newSubject is the subject of a new email to the customer of
// conversationID: "Re: " and its subject, or for a chat (no subject) its
// first message's first line.
func (c *Channels) newSubject(conversationID string) (string, error) {
	conv, err := c.ws.Store.Conversation(c.ctx, conversationID)
	if err != nil {
		return "", err
	}
	if s := strings.TrimSpace(conv.Subject); s != "" && !connectors.Chat(conv.Channel) {
		if strings.HasPrefix(strings.ToLower(s), "re:") {
			return s, nil
		}
		return "Re: " + s, nil
	}
	msgs, err := c.ws.Store.Messages(c.ctx, conversationID)
	if err != nil {
		return "", err
	}
	for _, m := range msgs {
		if line := firstLine(m.Text, 80); line != "" {
			return line, nil
		}
	}
	return strings.TrimSpace(conv.Subject), nil
}
