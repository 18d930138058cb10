import Integration

extension TenantProviders {
    /// `base` with some roles and the generic systems' calls replaced (decorators that record or
    /// replay answers); the generic HTTP systems keep `base`'s runtime.
    init(decorating base: TenantProviders, crm: (any CRMProvider)?, payments: (any PaymentsProvider)?,
         scheduling: (any SchedulingProvider)?, messaging: (any MessagingProvider)?, operatorNotifier: (any OperatorNotifier)?,
         email: (any EmailSender)?, systemCall: @escaping SystemCall) {
        self.crm = crm
        self.payments = payments
        self.scheduling = scheduling
        self.messaging = messaging
        self.operatorNotifier = operatorNotifier
        self.email = email
        self.systemCall = systemCall
        runtime = base.runtime
    }
}
