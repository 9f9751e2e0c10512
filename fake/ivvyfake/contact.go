package ivvyfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// contactRecord renders a contact as getContactList does.
func (s *Server) contactRecord(ct *Contact) record {
	groups := make([]record, 0, len(ct.Groups))
	for _, g := range ct.Groups {
		groups = append(groups, record{"contactId": ct.ID, "groupId": g, "joinDate": ts(ct.CreatedDate)})
	}
	companies := make([]int64, 0, len(ct.Companies))
	companiesData := make([]record, 0, len(ct.Companies))
	for _, co := range ct.Companies {
		companies = append(companies, co.ID)
		companiesData = append(companiesData, record{"id": co.ID, "businessName": co.BusinessName})
	}
	fields := make([]record, 0, len(ct.CustomFields))
	for _, f := range ct.CustomFields {
		fields = append(fields, record{"fieldId": f.FieldID, "displayName": f.DisplayName, "value": f.Value})
	}
	return record{
		"id":                 ct.ID,
		"firstName":          ct.FirstName,
		"lastName":           ct.LastName,
		"email":              ct.Email,
		"phone":              ct.Phone,
		"privacyConsentData": privacyConsent(ct.CreatedDate),
		"customFields":       fields,
		"groups":             groups,
		"companies":          companies,
		"companiesData":      companiesData,
		"externalId":         nullable(ct.ExternalID),
		"modifiedDate":       ts(ct.ModifiedDate),
		"isAnonymised":       false,
	}
}

// getContactList lists contacts, with the filters fromModifiedDate and
// toModifiedDate (inclusive), externalId and companyId besides the generic
// ones. venueId and venueGroupId are accepted and ignored: the fake has no
// venues.
func (s *Server) getContactList(c *call) (any, *exception) {
	f, exc := c.filter()
	if exc != nil {
		return nil, exc
	}
	from, hasFrom, exc := takeTime(f, "fromModifiedDate")
	if exc != nil {
		return nil, exc
	}
	to, hasTo, exc := takeTime(f, "toModifiedDate")
	if exc != nil {
		return nil, exc
	}
	var companyID string
	hasCompany := false
	if v, ok := f["companyId"]; ok {
		delete(f, "companyId")
		companyID, hasCompany = text(v), true
	}
	delete(f, "venueId")
	delete(f, "venueGroupId")
	var contacts []*Contact
	for _, id := range sortedIDs(s.st.contacts) {
		ct := s.st.contacts[id]
		if hasFrom && ct.ModifiedDate.Before(from) {
			continue
		}
		if hasTo && ct.ModifiedDate.After(to) {
			continue
		}
		if hasCompany && !slices.ContainsFunc(ct.Companies, func(co Company) bool { return fmt.Sprint(co.ID) == companyID }) {
			continue
		}
		contacts = append(contacts, ct)
	}
	return s.lazyCollection(c, len(contacts), func(i int) record { return s.contactRecord(contacts[i]) }, f)
}

// getContact returns one contact with its invitations and registrations
// (24096 when unknown).
func (s *Server) getContact(c *call) (any, *exception) {
	id, exc := c.requiredInt("id")
	if exc != nil {
		return nil, exc
	}
	byStart, _, exc := c.boolParam("useEventSortOrder")
	if exc != nil {
		return nil, exc
	}
	ct := s.st.contacts[id]
	if ct == nil {
		return nil, badRequest(codeContactUnknown, "Unable to find contact")
	}
	rec := s.contactRecord(ct)
	rec["status"] = ct.Status
	rec["smsStatus"] = ct.SMSStatus
	urls := make([]record, 0, len(ct.ExternalURLs))
	for _, u := range ct.ExternalURLs {
		urls = append(urls, record{"ref": u.Ref, "url": u.URL, "label": u.Label})
	}
	rec["externalUrls"] = urls

	order := func(a, b int64) int {
		ea, eb := s.st.events[a], s.st.events[b]
		if byStart && ea != nil && eb != nil {
			if d := ea.StartDateTime.Compare(eb.StartDateTime); d != 0 {
				return d
			}
		}
		return cmp.Compare(a, b)
	}
	var invs []*Invitation
	for _, inv := range s.st.invitations {
		if inv.ContactID == id {
			invs = append(invs, inv)
		}
	}
	slices.SortFunc(invs, func(a, b *Invitation) int { return order(a.EventID, b.EventID) })
	invitations := make([]record, 0, len(invs))
	for _, inv := range invs {
		e := s.st.events[inv.EventID]
		yes, no := inviteLinks(c.base, e, id)
		invitations = append(invitations, record{
			"eventId":            e.ID,
			"eventCode":          e.Code,
			"eventStartDateTime": ts(e.StartDateTime),
			"inviteLinkYes":      yes,
			"inviteLinkNo":       no,
			"response":           inv.Response,
		})
	}
	rec["eventInvitations"] = invitations

	var regs []*Registration
	for _, r := range s.st.registrations {
		if r.MainContactID == id && s.st.events[r.EventID] != nil {
			regs = append(regs, r)
		}
	}
	slices.SortFunc(regs, func(a, b *Registration) int {
		if d := order(a.EventID, b.EventID); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	registrations := make([]record, 0, len(regs))
	for _, r := range regs {
		e := s.st.events[r.EventID]
		root := strings.TrimRight(c.base, "/") + "/event/" + e.Code
		guests := []record{}
		attendees := 0
		for _, aid := range sortedIDs(s.st.attendees) {
			a := s.st.attendees[aid]
			if a.RegistrationID != r.ID {
				continue
			}
			attendees++
			guests = append(guests, record{
				"contactId":        a.ContactID,
				"fullName":         strings.TrimSpace(a.FirstName + " " + a.LastName),
				"email":            a.Email,
				"attended":         a.HasAttended,
				"attendedDateTime": ts(a.AttendedDate),
			})
		}
		registrations = append(registrations, record{
			"eventId":            e.ID,
			"eventCode":          e.Code,
			"eventStartDateTime": ts(e.StartDateTime),
			"registrationId":     r.ID,
			"currentStatus":      r.CurrentStatus,
			"confirmedDate":      ts(r.CompletedDate),
			"isPaymentWaiting":   r.CurrentStatus == 4,
			"printTicketUrl":     fmt.Sprintf("%s/registration/%d/tickets", root, r.ID),
			"printTicketUrlPdf":  fmt.Sprintf("%s/registration/%d/tickets.pdf", root, r.ID),
			"attendeeCount":      attendees,
			"invoiceUrl":         fmt.Sprintf("%s/registration/%d/invoice", root, r.ID),
			"invoiceUrlPdf":      fmt.Sprintf("%s/registration/%d/invoice.pdf", root, r.ID),
			"guestDetails":       guests,
			"invoices":           []record{},
		})
	}
	rec["eventRegistrations"] = registrations
	return rec, nil
}

// addOrUpdateContact adds a contact (no id), updates one (id), or with
// updateIfExists updates the contact with the same first name, last name
// and email when there is one.
func (s *Server) addOrUpdateContact(c *call) (any, *exception) {
	id, hasID, exc := c.int64Param("id")
	if exc != nil {
		return nil, exc
	}
	updateIfExists, _, exc := c.boolParam("updateIfExists")
	if exc != nil {
		return nil, exc
	}
	var ct Contact
	var cur *Contact
	if hasID {
		cur = s.st.contacts[id]
		if cur == nil {
			return record{"success": false, "id": nil, "message": "Unable to find contact"}, nil
		}
	}
	if err := c.applyContact(&ct, cur, s.st.companyName); err != nil {
		return nil, err
	}
	if !hasID {
		for _, name := range []string{"firstName", "lastName", "email"} {
			if !c.has(name) {
				return nil, missing(name)
			}
		}
		if updateIfExists {
			for _, cid := range sortedIDs(s.st.contacts) {
				x := s.st.contacts[cid]
				if strings.EqualFold(x.FirstName, ct.FirstName) && strings.EqualFold(x.LastName, ct.LastName) && strings.EqualFold(x.Email, ct.Email) {
					cur = x
					break
				}
			}
			if cur != nil {
				ct = Contact{}
				if err := c.applyContact(&ct, cur, s.st.companyName); err != nil {
					return nil, err
				}
			}
		}
	}
	now := s.clock()
	ct.ModifiedDate = now
	if cur == nil {
		ct.ID = s.st.id("contact", 0)
		ct.CreatedDate = now
		if ct.Status == 0 {
			ct.Status = 1
		}
		if ct.SMSStatus == 0 {
			ct.SMSStatus = 1
		}
	}
	for _, co := range ct.Companies {
		s.st.companies[co.ID] = co.BusinessName
	}
	s.st.contacts[ct.ID] = &ct
	return record{"success": true, "id": ct.ID}, nil
}

// applyContact sets *dst to cur (when not nil) changed by the request's
// fields.
func (c *call) applyContact(dst *Contact, cur *Contact, companyName func(int64) string) *exception {
	if cur != nil {
		*dst = *cur
		dst.Companies = slices.Clone(cur.Companies)
		dst.Groups = slices.Clone(cur.Groups)
		dst.CustomFields = slices.Clone(cur.CustomFields)
		dst.ExternalURLs = slices.Clone(cur.ExternalURLs)
	}
	for name, field := range map[string]*string{"firstName": &dst.FirstName, "lastName": &dst.LastName, "phone": &dst.Phone, "externalId": &dst.ExternalID} {
		v, ok, exc := c.stringParam(name)
		if exc != nil {
			return exc
		}
		if ok {
			*field = v
		}
	}
	if email, ok, exc := c.stringParam("email"); exc != nil {
		return exc
	} else if ok {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			return invalid("email", "Value must be a valid email address")
		}
		dst.Email = email
	}
	if v, ok, exc := c.int64Param("status"); exc != nil {
		return exc
	} else if ok {
		if v != 1 && v != 2 && v != 3 && v != 5 {
			return invalid("status", "Value must be 1, 2, 3 or 5")
		}
		dst.Status = int(v)
	}
	if v, ok, exc := c.int64Param("smsStatus"); exc != nil {
		return exc
	} else if ok {
		if v < 1 || v > 4 {
			return invalid("smsStatus", "Value must be 1, 2, 3 or 4")
		}
		dst.SMSStatus = int(v)
	}
	if ids, ok, exc := c.intList("companies"); exc != nil {
		return exc
	} else if ok {
		dst.Companies = dst.Companies[:0]
		for _, id := range ids {
			dst.Companies = append(dst.Companies, Company{ID: id, BusinessName: companyName(id)})
		}
	}
	if raw, ok := c.params["groups"]; ok && !isNull(raw) {
		var groups []struct {
			GroupID json.RawMessage `json:"groupId"`
		}
		if err := json.Unmarshal(raw, &groups); err != nil {
			return invalid("groups", "Value must be an array of objects with a groupId")
		}
		dst.Groups = dst.Groups[:0]
		for _, g := range groups {
			id, err := decodeInt(g.GroupID)
			if err != nil || id <= 0 {
				return invalid("groups", "Each groupId must be a whole number")
			}
			dst.Groups = append(dst.Groups, id)
		}
	}
	if raw, ok := c.params["customFields"]; ok && !isNull(raw) {
		var fields []struct {
			FieldID json.RawMessage `json:"fieldId"`
			Value   any             `json:"value"`
		}
		if err := json.Unmarshal(raw, &fields); err != nil {
			return invalid("customFields", "Value must be an array of objects with a fieldId and a value")
		}
		for _, f := range fields {
			id, err := decodeInt(f.FieldID)
			if err != nil || id <= 0 {
				return invalid("customFields", "Each fieldId must be a whole number")
			}
			value := text(f.Value)
			i := slices.IndexFunc(dst.CustomFields, func(x CustomField) bool { return x.FieldID == id })
			if i < 0 {
				dst.CustomFields = append(dst.CustomFields, CustomField{FieldID: id, DisplayName: fmt.Sprintf("Field %d", id), Value: value})
			} else {
				dst.CustomFields[i].Value = value
			}
		}
	}
	if raw, ok := c.params["externalUrls"]; ok {
		if isNull(raw) {
			dst.ExternalURLs = nil
		} else {
			var urls []struct {
				Ref   string  `json:"ref"`
				URL   *string `json:"url"`
				Label string  `json:"label"`
			}
			if err := json.Unmarshal(raw, &urls); err != nil || len(urls) > 3 {
				return invalid("externalUrls", "Value must be an array of at most 3 objects with a ref")
			}
			for _, u := range urls {
				if u.Ref == "" {
					return missing("externalUrls.ref")
				}
				i := slices.IndexFunc(dst.ExternalURLs, func(x ExternalURL) bool { return x.Ref == u.Ref })
				switch {
				case u.URL == nil && i >= 0:
					dst.ExternalURLs = slices.Delete(dst.ExternalURLs, i, i+1)
				case u.URL == nil:
				case i >= 0:
					dst.ExternalURLs[i] = ExternalURL{Ref: u.Ref, URL: *u.URL, Label: u.Label}
				default:
					dst.ExternalURLs = append(dst.ExternalURLs, ExternalURL{Ref: u.Ref, URL: *u.URL, Label: u.Label})
				}
			}
			if len(dst.ExternalURLs) > 3 {
				return invalid("externalUrls", "A contact has at most 3 external URLs")
			}
		}
	}
	if _, _, exc := c.boolParam("privacyConsent"); exc != nil {
		return exc
	}
	return nil
}

// companyName names a company for a contact's companiesData.
func (st *state) companyName(id int64) string {
	if name, ok := st.companies[id]; ok {
		return name
	}
	return fmt.Sprintf("Company %d", id)
}
