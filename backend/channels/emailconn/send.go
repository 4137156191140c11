package emailconn

import (
	"context"
	"fmt"
	"strings"

	"tidings/backend/channels"
	"tidings/backend/channels/email"
	"tidings/backend/inbox"
	"tidings/backend/threader"
)

// Send composes one message (email.Compose) to out.To, threaded under
// out.QuoteID and the thread's root out.Thread (In-Reply-To, References),
// submits it once over SMTP and files a copy in Sent unless the server
// does (Config.ServerSavesSent). It never retries: a submission whose
// outcome is unknown is the caller's to check. A recipient or message the
// server refuses is a rejected send; a refused login is permanent.
func (c *Connector) Send(ctx context.Context, out channels.Outbound) (channels.SendResult, error) {
	cfg := c.opt.Config
	to, err := inbox.NormalizeAddress(inbox.ChannelEmail, out.To)
	if err != nil {
		return channels.SendResult{}, channels.Rejected("send", fmt.Errorf("emailconn: %q is not an email address: %w", out.To, inbox.ErrInvalid),
			"the customer has no email address to answer")
	}
	for _, a := range out.Attachments {
		if int64(len(a.Data)) > MaxUploadSize {
			return channels.SendResult{}, channels.Rejected("send", fmt.Errorf("emailconn: %s is %d MB: %w", a.Name, len(a.Data)>>20, inbox.ErrInvalid),
				fmt.Sprintf("mail servers accept files up to %d MB: share a link instead", MaxUploadSize>>20))
		}
	}
	d := email.Draft{From: inbox.Address{Address: cfg.Address}, To: []inbox.Address{{Address: to}},
		Subject: strings.TrimSpace(out.Subject), Text: out.Text, Attachments: out.Attachments}
	root := ""
	if strings.HasPrefix(out.Thread, "<") {
		root = out.Thread
	}
	d.InReplyTo = out.QuoteID
	if d.InReplyTo == "" {
		d.InReplyTo = root
	}
	if root != "" && root != d.InReplyTo {
		d.References = append(d.References, root)
	}
	if d.InReplyTo != "" {
		d.References = append(d.References, d.InReplyTo)
		if d.Subject != "" && !threader.IsReplySubject(d.Subject) {
			d.Subject = "Re: " + d.Subject
		}
	}
	raw, err := email.Compose(&d)
	if err != nil {
		return channels.SendResult{}, channels.Rejected("send", err, "the message could not be written")
	}
	if err := email.Send(ctx, cfg, c.opt.Auth, cfg.Address, d.Recipients(), email.StripBcc(raw), c.opt.SMTP); err != nil {
		return channels.SendResult{}, classifySend(err)
	}
	res := channels.SendResult{RemoteID: d.MessageID, RemoteIDs: []string{d.MessageID}, SentAt: d.Date.UTC()}
	if !cfg.ServerSavesSent {
		// The message is out: a missing Sent copy is logged, not an error.
		if err := c.fileSent(ctx, raw, d); err != nil {
			c.opt.Log.Warn("emailconn: sent, but no copy in Sent", "account", c.opt.Account.Name, "err", err)
		}
	}
	return res, nil
}

// fileSent appends the sent message to the Sent folder.
func (c *Connector) fileSent(ctx context.Context, raw []byte, d email.Draft) error {
	if err := c.Connect(ctx); err != nil {
		return err
	}
	for _, f := range c.folders {
		if f.Role == email.RoleSent {
			_, _, err := c.sess.Append(ctx, f.Name, raw, d.Date)
			if err != nil {
				c.drop()
			}
			return err
		}
	}
	return fmt.Errorf("emailconn: the server has no Sent folder")
}
